"""A custom import-linter contract: an app is reached by other apps only through its `api` module (ADR 0037).

Configured in `.importlinter` (`type = api_only`): for every import from one app of `containers` into another, the
imported module must be `<container>.<app>.api` (or the app package itself, which only re-exports). Modules of the
container that are not apps (shared modules such as `kynangso.errors`, and the project's `rest`/`urls`, which
compose the apps) are neither checked nor protected.
"""

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output


class ApiOnlyContract(Contract):
    type_name = "api_only"

    container = fields.StringField()
    apps = fields.ListField(subfield=fields.StringField())

    def _app_of(self, module: str) -> str | None:
        prefix = f"{self.container}."
        if not module.startswith(prefix):
            return None
        app = module[len(prefix) :].split(".", 1)[0]
        return app if app in self.apps else None

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        illegal = []
        for importer in sorted(graph.modules):
            importer_app = self._app_of(importer)
            if importer_app is None:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                imported_app = self._app_of(imported)
                if imported_app is None or imported_app == importer_app:
                    continue
                if imported in (f"{self.container}.{imported_app}.api", f"{self.container}.{imported_app}"):
                    continue
                details = graph.get_import_details(importer=importer, imported=imported)
                illegal.append(
                    {
                        "importer": importer,
                        "imported": imported,
                        "lines": sorted({detail["line_number"] for detail in details}),
                    }
                )
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for row in check.metadata["illegal"]:
            lines = ", ".join(map(str, row["lines"]))
            output.print_error(f"- {row['importer']} -> {row['imported']} (l. {lines}): import the app's api module")
            output.new_line()
