"""Prints, as JSON, what a restored site must still hold: people (with their national IDs readable), attempts,
certificates (each still verifying) and indicator values. Run in a subprocess against a site's database:
`python -m tests.operations.fingerprint`."""

import hashlib
import json
import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kynangso.settings")
    import django

    django.setup()
    from django.db.models import Sum

    from kynangso.assessment.models import Attempt
    from kynangso.credentials import api as credentials
    from kynangso.monitoring.models import IndicatorValue
    from kynangso.people.identity import decrypt_national_id
    from kynangso.people.models import Person

    ids = sorted(decrypt_national_id(text) for text in Person.objects.values_list("national_id_ciphertext", flat=True))
    documents = list(credentials.Credential.objects.order_by("pk").values_list("document", flat=True))
    values = IndicatorValue.objects.aggregate(numerators=Sum("numerator"), denominators=Sum("denominator"))
    print(
        json.dumps(
            {
                "people": len(ids),
                "national_ids": hashlib.sha256("|".join(ids).encode()).hexdigest(),
                "attempts": Attempt.objects.count(),
                "scores": str(Attempt.objects.aggregate(total=Sum("score_percent"))["total"]),
                "certificates": len(documents),
                "certificates_verifying": sum(credentials.verify_document(document).is_valid for document in documents),
                "indicator_values": IndicatorValue.objects.count(),
                **{key: int(value or 0) for key, value in values.items()},
            },
            sort_keys=True,
        )
    )


if __name__ == "__main__":
    main()
