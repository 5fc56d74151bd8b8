"""``cchc load-demo``: the demo province, its users and the sample catalog (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from cchc.demo.clock import TimeMachineMissing
from cchc.demo.province import DEMO_CITIZEN, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa: tỉnh An Bình, tài khoản theo vai trò, danh mục thủ tục mẫu."

    def handle(self, *args, **options):
        try:
            users, report, dossiers = load_demo()
        except TimeMachineMissing as error:  # a production install: say how to add the extra
            raise CommandError(str(error)) from None
        self.stdout.write(report.summary())
        self.stdout.write(f"Hồ sơ minh họa mới tạo: {dossiers}")
        self.stdout.write("")
        self.stdout.write(f"Tài khoản minh họa (mật khẩu chung: {DEMO_PASSWORD}):")
        for user in users:
            self.stdout.write(f"  {user.username:<22} {user.role.label:<40} {user.full_name}")
        self.stdout.write(f"  {DEMO_CITIZEN:<22} {'Công dân (không có vai trò)':<40} Đinh Thị Thu")
        self.stdout.write("")
        self.stdout.write("Trang công dân: http://127.0.0.1:8000/thu-tuc/")
        self.stdout.write("Quản trị:       http://127.0.0.1:8000/quan-tri/ (tài khoản quantri)")
