"""`kynangso import-denominators FILE`: load units' yearly denominators (CSV or XLSX), all or nothing."""

from kynangso.orgs import api as orgs
from kynangso.orgs.management.commands._file_import import FileImportCommand


class Command(FileImportCommand):
    help = "Nhập mẫu số theo năm của đơn vị (cột: Mã đơn vị, Năm, Loại mẫu số, Số lượng, Nguồn) từ tệp CSV hoặc XLSX."
    nothing_imported = "không số liệu nào được nhập."
    summary = "Đã nhập mẫu số: {created} mới, {updated} cập nhật, {unchanged} không đổi."

    def run(self, path):
        return orgs.import_denominators(path)
