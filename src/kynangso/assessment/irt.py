"""Item response theory (2PL / 3PL with fixed guessing): probabilities, information, MML calibration, EAP ability."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.special import expit

# Logistic metric throughout (no D = 1.7 scaling constant).
MIN_RESPONSES_PER_ITEM = 200
QUADRATURE_POINTS = 61
QUADRATURE_BOUND = 6.0
A_MAX = 8.0  # |a| is clipped here so that a diverging item cannot blow up the EM
MAX_STEP = 1.0  # largest change of (a, d) in one Fisher-scoring step
PROB_FLOOR = 1e-10

# Reasons an item is left out of calibration (codes; the app turns them into messages).
TOO_FEW_RESPONSES = "too_few_responses"
ALL_CORRECT = "all_correct"
ALL_WRONG = "all_wrong"

Number = float | np.ndarray


def _as_result(value: np.ndarray) -> Number:
    return float(value) if np.ndim(value) == 0 else value


def probability(theta: Number, a: Number, b: Number, c: Number = 0.0) -> Number:
    """P(correct | theta) = c + (1 - c) / (1 + exp(-a (theta - b))); broadcasts over arrays."""
    theta, a, b, c = (np.asarray(x, dtype=float) for x in (theta, a, b, c))
    return _as_result(c + (1.0 - c) * expit(a * (theta - b)))


def item_information(theta: Number, a: Number, b: Number, c: Number = 0.0) -> Number:
    """Fisher information of one item at theta: a² (P - c)² / (1 - c)² · (1 - P) / P (a² P Q for the 2PL)."""
    theta, a, b, c = (np.asarray(x, dtype=float) for x in (theta, a, b, c))
    p = np.clip(c + (1.0 - c) * expit(a * (theta - b)), PROB_FLOOR, 1.0 - PROB_FLOOR)
    info = a**2 * ((p - c) / (1.0 - c)) ** 2 * (1.0 - p) / p
    return _as_result(info)


def quadrature(
    n_points: int = QUADRATURE_POINTS, bound: float = QUADRATURE_BOUND, mean: float = 0.0, sd: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """A fixed, evenly spaced grid over mean ± bound·sd with normalised N(mean, sd²) weights."""
    nodes = np.linspace(mean - bound * sd, mean + bound * sd, n_points)
    weights = np.exp(-0.5 * ((nodes - mean) / sd) ** 2)
    return nodes, weights / weights.sum()


@dataclass(frozen=True)
class CalibrationResult:
    """Per-item estimates, indexed like the columns of the response matrix; NaN where not calibrated."""

    model: str
    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    se_a: np.ndarray
    se_b: np.ndarray
    n_responses: np.ndarray
    excluded: dict[int, str] = field(default_factory=dict)  # column index -> reason code
    converged: bool = False
    iterations: int = 0
    log_likelihood: float = float("nan")

    @property
    def calibrated(self) -> np.ndarray:
        """Boolean mask of the columns that received estimates."""
        return ~np.isnan(self.a)


def _exclusions(x: np.ndarray, present: np.ndarray, min_responses: int) -> tuple[np.ndarray, dict[int, str]]:
    n = present.sum(axis=0)
    right = np.where(present, x, 0.0).sum(axis=0)
    excluded: dict[int, str] = {}
    for i in range(x.shape[1]):
        if n[i] < min_responses:
            excluded[i] = TOO_FEW_RESPONSES
        elif right[i] == n[i]:
            excluded[i] = ALL_CORRECT
        elif right[i] == 0:
            excluded[i] = ALL_WRONG
    return n, excluded


def _e_step(
    x: np.ndarray,
    present: np.ndarray,
    nodes: np.ndarray,
    log_w: np.ndarray,
    a: np.ndarray,
    d: np.ndarray,
    c: np.ndarray,
) -> tuple[np.ndarray, float, np.ndarray]:
    """Posterior over the grid per person (persons × nodes), marginal log-likelihood, P (items × nodes)."""
    p = np.clip(
        c[:, None] + (1.0 - c[:, None]) * expit(a[:, None] * nodes[None, :] + d[:, None]), PROB_FLOOR, 1.0 - PROB_FLOOR
    )
    log_like = x @ np.log(p) + (present - x) @ np.log1p(-p) + log_w[None, :]
    peak = log_like.max(axis=1, keepdims=True)
    post = np.exp(log_like - peak)
    total = post.sum(axis=1, keepdims=True)
    post /= total
    return post, float((np.log(total) + peak).sum()), p


def _fisher_step(
    nodes: np.ndarray, n_q: np.ndarray, r_q: np.ndarray, a: np.ndarray, d: np.ndarray, c: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """One Fisher-scoring step of the M-step for every item at once (expected counts n_q, r_q: items × nodes)."""
    s = expit(a[:, None] * nodes[None, :] + d[:, None])
    one_minus_c = (1.0 - c)[:, None]
    p = np.clip(c[:, None] + one_minus_c * s, PROB_FLOOR, 1.0 - PROB_FLOOR)
    dp = one_minus_c * s * (1.0 - s)
    pq = p * (1.0 - p)
    resid = (r_q - n_q * p) * dp / pq
    w = n_q * dp**2 / pq
    g_a, g_d = (resid * nodes).sum(axis=1), resid.sum(axis=1)
    i_aa, i_ad, i_dd = (w * nodes**2).sum(axis=1), (w * nodes).sum(axis=1), w.sum(axis=1)
    det = i_aa * i_dd - i_ad**2
    det = np.where(np.abs(det) < 1e-12, 1e-12, det)
    step_a = (i_dd * g_a - i_ad * g_d) / det
    step_d = (i_aa * g_d - i_ad * g_a) / det
    size = np.maximum(1.0, np.hypot(step_a, step_d) / MAX_STEP)
    return np.clip(a + step_a / size, -A_MAX, A_MAX), d + step_d / size


def _standard_errors(
    x: np.ndarray, present: np.ndarray, post: np.ndarray, nodes: np.ndarray, a: np.ndarray, d: np.ndarray, c: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """SEs of a and b from the cross-product (XPD) of per-person score vectors, b = -d/a by the delta method."""
    s = expit(a[:, None] * nodes[None, :] + d[:, None])
    p = np.clip(c[:, None] + (1.0 - c[:, None]) * s, PROB_FLOOR, 1.0 - PROB_FLOOR)
    h = (1.0 - c[:, None]) * s * (1.0 - s) / (p * (1.0 - p))  # d log-lik / dz = (x - P) h
    # Score of person n for item i: E_post[(x - P) h] and E_post[(x - P) h θ], zero where not presented.
    hx, ph = post @ h.T, post @ (p * h).T
    hx_t, ph_t = post @ (h * nodes).T, post @ (p * h * nodes).T
    score_d = present * (x * hx - ph)
    score_a = present * (x * hx_t - ph_t)
    scores = np.hstack([score_a, score_d])
    info = scores.T @ scores
    n_items = a.size
    try:
        cov = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        nan = np.full(n_items, np.nan)
        return nan, nan.copy()
    var_a = np.diag(cov)[:n_items]
    var_d = np.diag(cov)[n_items:]
    cov_ad = np.diag(cov[:n_items, n_items:])
    # b = -d / a: ∂b/∂a = d / a², ∂b/∂d = -1 / a
    g_a, g_d = d / a**2, -1.0 / a
    var_b = g_a**2 * var_a + g_d**2 * var_d + 2.0 * g_a * g_d * cov_ad
    with np.errstate(invalid="ignore"):
        return np.sqrt(np.where(var_a > 0, var_a, np.nan)), np.sqrt(np.where(var_b > 0, var_b, np.nan))


def calibrate(
    responses: np.ndarray,
    model: str = "2PL",
    *,
    guessing: float | Sequence[float] = 0.0,
    min_responses: int = MIN_RESPONSES_PER_ITEM,
    max_iterations: int = 500,
    tolerance: float = 1e-4,
    n_points: int = QUADRATURE_POINTS,
) -> CalibrationResult:
    """Marginal maximum likelihood (Bock–Aitkin EM on a fixed grid, N(0, 1) ability) for a persons × items matrix.

    Values are 1 (right), 0 (wrong) or NaN (not presented); missing cells simply drop out of the likelihood, so
    persons may each see a different form. ``model`` is "2PL" or "3PL"; for the 3PL the guessing parameter is fixed
    (``guessing``: one value, or one per item) and only a and b are estimated.
    """
    x_raw = np.asarray(responses, dtype=float)
    if x_raw.ndim != 2:
        raise ValueError("responses must be a persons × items matrix")
    if model not in ("2PL", "3PL"):
        raise ValueError(f"unknown model {model!r}")
    n_persons, n_items = x_raw.shape
    c_all = np.broadcast_to(np.asarray(guessing if model == "3PL" else 0.0, dtype=float), (n_items,)).copy()
    if np.any((c_all < 0) | (c_all >= 1)):
        raise ValueError("guessing must be in [0, 1)")
    present_all = ~np.isnan(x_raw)
    if np.any((x_raw[present_all] != 0) & (x_raw[present_all] != 1)):
        raise ValueError("responses must be 0, 1 or NaN")
    n_resp, excluded = _exclusions(x_raw, present_all, min_responses)

    nan = np.full(n_items, np.nan)
    keep = np.array([i not in excluded for i in range(n_items)])
    if not keep.any():
        return CalibrationResult(
            model, nan.copy(), nan.copy(), np.where(keep, c_all, np.nan), nan.copy(), nan.copy(), n_resp, excluded
        )

    present = present_all[:, keep].astype(float)
    x = np.where(present_all[:, keep], x_raw[:, keep], 0.0)
    c = c_all[keep]
    nodes, weights = quadrature(n_points)
    log_w = np.log(weights)

    # Start: a = 1, d from the item's proportion correct above chance.
    p_val = np.clip(x.sum(axis=0) / present.sum(axis=0), 0.01, 0.99)
    p_adj = np.clip((p_val - c) / (1.0 - c), 0.02, 0.98)
    a = np.ones(keep.sum())
    d = np.log(p_adj / (1.0 - p_adj)) * 1.3

    converged, iteration, log_lik = False, 0, float("nan")
    for iteration in range(1, max_iterations + 1):  # noqa: B007  (read after the loop)
        post, log_lik, _ = _e_step(x, present, nodes, log_w, a, d, c)
        n_q = present.T @ post
        r_q = x.T @ post
        a_new, d_new = a, d
        for _ in range(3):
            a_new, d_new = _fisher_step(nodes, n_q, r_q, a_new, d_new, c)
        change = max(np.abs(a_new - a).max(), np.abs(d_new - d).max())
        a, d = a_new, d_new
        if change < tolerance:
            converged = True
            break

    post, log_lik, _ = _e_step(x, present, nodes, log_w, a, d, c)
    se_a_k, se_b_k = _standard_errors(x, present, post, nodes, a, d, c)

    def spread(values: np.ndarray) -> np.ndarray:
        out = np.full(n_items, np.nan)
        out[keep] = values
        return out

    with np.errstate(divide="ignore", invalid="ignore"):
        b = -d / a
    return CalibrationResult(
        model=model,
        a=spread(a),
        b=spread(b),
        c=spread(c),
        se_a=spread(se_a_k),
        se_b=spread(se_b_k),
        n_responses=n_resp,
        excluded=excluded,
        converged=converged,
        iterations=iteration,
        log_likelihood=log_lik,
    )


def estimate_theta(
    responses: Iterable[tuple[float, float, float, float]],
    *,
    prior_mean: float = 0.0,
    prior_sd: float = 1.0,
    n_points: int = QUADRATURE_POINTS,
) -> tuple[float, float]:
    """EAP ability (posterior mean) and its standard error (posterior SD) from (a, b, c, score) tuples.

    A N(prior_mean, prior_sd²) prior on a fixed grid keeps all-right and all-wrong patterns finite; with no
    responses the prior itself is returned.
    """
    nodes, weights = quadrature(n_points, mean=prior_mean, sd=prior_sd)
    items = np.asarray(list(responses), dtype=float).reshape(-1, 4)
    log_post = np.log(weights)
    if items.size:
        a, b, c, score = (items[:, k][:, None] for k in range(4))
        p = np.clip(c + (1.0 - c) * expit(a * (nodes[None, :] - b)), PROB_FLOOR, 1.0 - PROB_FLOOR)
        log_post = log_post + (score * np.log(p) + (1.0 - score) * np.log1p(-p)).sum(axis=0)
    post = np.exp(log_post - log_post.max())
    post /= post.sum()
    theta = float(post @ nodes)
    return theta, float(np.sqrt(post @ (nodes - theta) ** 2))
