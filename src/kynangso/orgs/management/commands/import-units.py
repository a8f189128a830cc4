"""`kynangso import-units FILE`: load the official administrative-unit list (CSV or XLSX), all or nothing."""

from kynangso.orgs import api as orgs
from kynangso.orgs.management.commands._file_import import FileImportCommand


class Command(FileImportCommand):
    help = "Nhập danh mục đơn vị hành chính (cột: Mã, Tên, Cấp, Mã cấp trên) từ tệp CSV hoặc XLSX."
    nothing_imported = "không đơn vị nào được nhập."
    summary = "Đã nhập danh mục: {created} đơn vị mới, {updated} đơn vị cập nhật, {unchanged} đơn vị không đổi."

    def run(self, path):
        return orgs.import_units(path)
