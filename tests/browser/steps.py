"""What a user does in Chromium before anything else: signing in through the real login form."""

from mediation.demo import DEMO_PASSWORD


def sign_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Fill in and submit the login form the way a user does."""
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
