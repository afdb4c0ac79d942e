#!/usr/bin/python3
"""Browser tests of the HR console: real headless Chromium over WebDriver against a running
duty-collector that holds the example office (pushed by the real duty-agent).

scripts/browser-test.sh sets everything up and runs this; by hand:
    /usr/bin/python3 scripts/browser_tests.py --base http://127.0.0.1:PORT --shots DIR
with the users that browser-test.sh creates. Each test saves a screenshot in DIR. The last line
is "N passed, N failed"; the exit status is 1 when any failed.
"""
import argparse
import os
import re
import sys
import time
import traceback

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

HR = ("王敏", "hr-password-2026")
MANAGER = ("李队长", "manager-pass-2026")        # 市场监管局/执法大队/一中队 only, read-only
STAFF = ("胡建军", "staff-pass-2026x")            # person 10001 of 市场监管局/办公室
LOCKED = ("赵会计", "lock-test-pass-2026")        # an hr account the lockout test locks
MONTH = "2026-10"


class Console:
    def __init__(self, base, shots):
        self.base = base
        self.shots = shots
        options = webdriver.ChromeOptions()
        for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,900", "--lang=zh-CN"]:
            options.add_argument(argument)
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.driver.set_page_load_timeout(30)

    def quit(self):
        self.driver.quit()

    def open(self, path):
        """Opens `path`; a page that shows older figures while newer ones are computed (its
        notice #figures-pending) is reloaded, as its reader would, until it shows current ones."""
        self.driver.get(self.base + path)
        for _ in range(40):
            if not self.all("#figures-pending"):
                return
            time.sleep(0.25)
            self.driver.get(self.base + path)
        raise AssertionError(path + " still shows older figures after 10 s")

    def wait(self, css, seconds=15):
        return WebDriverWait(self.driver, seconds).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    def path(self):
        return re.sub(r"^https?://[^/]+", "", self.driver.current_url)

    def sign_in(self, user, expect_success=True):
        self.open("/login")
        self.find("#name").clear()
        self.find("#name").send_keys(user[0])
        self.find("#password").send_keys(user[1])
        self.find("#signin-form button[type=submit]").click()
        if expect_success:
            self.wait("#sign-out")

    def submit(self, form_css):
        button = self.find(form_css + " button[type=submit]")
        button.click()

    def shot(self, name):
        height = self.driver.execute_script("return document.body.scrollHeight")
        self.driver.set_window_size(1280, min(max(900, height + 40), 2400))
        self.driver.save_screenshot(os.path.join(self.shots, name + ".png"))
        self.driver.set_window_size(1280, 900)

    def card(self, card_id):
        return int(self.find("#%s .card-value" % card_id).text)

    def bulletin_charged(self):
        self.open("/bulletin?month=" + MONTH)
        return int(self.find("#bulletin-charged").text)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


# Each test gets a fresh browser (no cookies) and the shared state of the collector.

def test_sign_in(c):
    c.sign_in(HR)
    check(c.path() == "/", "after sign-in the overview opens, got " + c.path())
    c.open("/?month=" + MONTH)
    c.wait("#unit-figures")
    check("王敏" in c.text() and "执法大队" in c.text(), "the overview names the user and the units")
    cookies = {k["name"]: k for k in c.driver.get_cookies()}
    check(cookies["dw_session"]["httpOnly"] and cookies["dw_session"].get("sameSite") == "Strict",
          "the session cookie is HttpOnly and SameSite=Strict: %r" % cookies["dw_session"])
    c.shot("overview")


def test_wrong_password(c):
    c.sign_in((HR[0], "not-the-password"), expect_success=False)
    error = c.wait("#signin-error")
    check("用户名或密码不正确" in error.text, "the sign-in page says the password is wrong: " + error.text)
    check(not c.all("#sign-out"), "nobody is signed in")
    c.shot("wrong-password")


def test_lockout_delay(c):
    for _ in range(3):
        c.sign_in((LOCKED[0], "wrong-password-x"), expect_success=False)
        c.wait("#signin-error")
    c.sign_in(LOCKED, expect_success=False)
    error = c.wait("#signin-error")
    check("秒后再试" in error.text, "the right password waits after three failures: " + error.text)
    check(not c.all("#sign-out"), "the account is not signed in during the delay")
    c.shot("lockout-delay")
    time.sleep(6)
    c.sign_in(LOCKED)
    check(c.all("#sign-out"), "after the delay the right password signs in")


def test_review_one(c):
    c.sign_in(HR)
    c.open("/?month=" + MONTH)
    open_before = c.card("open-count")
    charged_before = c.bulletin_charged()
    c.open("/reviews?state=open&unit=市场监管局/执法大队/二中队&from=2026-10-01&to=2026-10-31&sort=oldest")
    first = c.wait("#queue tbody tr")
    first.find_element(By.LINK_TEXT, "详情").click()
    c.wait("#review-form")
    anomaly_path = c.path()
    c.find("#review-form input[value=excused]").click()
    c.find("#note").send_keys("出差途中航班延误，有登机牌和审批单")
    c.submit("#review-form")
    c.wait("#history")
    check("已豁免" in c.find("#state").text, "the anomaly shows its new state")
    check("航班延误" in c.find("#history").text, "the note is in the review history")
    c.shot("anomaly-reviewed")
    c.open("/?month=" + MONTH)
    check(c.card("open-count") == open_before - 1, "the overview's open count went down by one")
    charged_after = c.bulletin_charged()
    check(charged_after == charged_before - 1,
          "the bulletin's count went down by one: %d -> %d" % (charged_before, charged_after))
    c.shot("bulletin")
    check(anomaly_path.startswith("/anomalies/"), anomaly_path)


def test_bulk_excuse(c):
    c.sign_in(HR)
    c.open("/reviews?state=open&unit=市场监管局/综合科&from=2026-10-01&to=2026-10-31")
    boxes = c.all("#queue input[name=id]")
    check(len(boxes) >= 2, "综合科 has at least two open anomalies in October")
    boxes[0].click()
    boxes[1].click()
    c.find("#bulk-form input[name=state][value=excused]").click()
    c.find("#bulk-form input[name=note]").send_keys("系统停电，考勤机当日时间错误，统一豁免")
    c.find("#bulk-submit").click()
    notice = c.wait("#notice")
    check("已审核 2 条记录" in notice.text, "the queue says two were reviewed: " + notice.text)
    c.shot("bulk-excuse")


def test_suspected(c):
    """Suspicions first in the queue with their tag; their page says what is suspected; HR confirms
    one and it leaves 存疑待核 on the overview and enters the bulletin as an off-post."""
    c.sign_in(HR)
    c.open("/?month=" + MONTH)
    suspected_before = c.card("suspected-count")
    check(suspected_before >= 1, "the example office has suspected off-posts in October")
    charged_before = c.bulletin_charged()
    c.open("/reviews?state=open&from=2026-10-01&to=2026-10-31")
    first = c.wait("#queue tbody tr")
    check("row-suspected" in first.get_attribute("class"), "a suspicion is the queue's first row")
    check("存疑待核" in first.text, "the first row carries the 存疑待核 tag: " + first.text)
    check("夜间值班" in first.text, "the shift shows by its name: " + first.text)
    c.shot("queue-suspected")
    c.open("/reviews?state=open&suspected=only&from=2026-10-01&to=2026-10-31")
    rows = c.all("#queue tbody tr")
    check(len(rows) == suspected_before, "the filter lists the %d suspicions, got %d" % (suspected_before, len(rows)))
    # Confirm the one that is not the staff member's (胡建军 explains his own).
    target = [r for r in rows if "胡建军" not in r.text][0]
    target.find_element(By.LINK_TEXT, "详情").click()
    explained = c.wait("#suspicion")
    check("不计入任何统计" in explained.text, "the page says nothing is charged unless confirmed: " + explained.text)
    check(c.all("#timeline .away.suspected"), "the suspected away interval is on the timeline")
    c.shot("suspected-anomaly")
    c.find("#review-form input[value=confirmed]").click()
    c.find("#note").send_keys("调取监控核实：当晚离开后未返回值班室")
    c.submit("#review-form")
    c.wait("#history")
    check("擅自离岗" in c.find("#suspicion").text, "a confirmed suspicion counts as 擅自离岗")
    c.open("/?month=" + MONTH)
    check(c.card("suspected-count") == suspected_before - 1, "the overview's 存疑待核 went down by one")
    c.shot("overview-suspected")
    charged_after = c.bulletin_charged()
    check(charged_after == charged_before + 1,
          "the confirmed suspicion counts in the bulletin: %d -> %d" % (charged_before, charged_after))


def test_day_punches(c):
    """The anomaly page draws every punch of the person's day: those the anomaly rests on marked,
    the others (a lunch exit, say) listed with reader and file:line all the same."""
    c.sign_in(HR)
    c.open("/reviews?state=open&kind=late&from=2026-10-01&to=2026-10-31&sort=oldest")
    c.wait("#queue tbody tr").find_element(By.LINK_TEXT, "详情").click()
    c.wait("#timeline")
    rows = c.all("#evidence tbody tr")
    marked = [r for r in rows if "依据" in r.text]
    check(marked, "the evidence punch is marked")
    check(len(rows) > len(marked), "punches that are no evidence are listed too: %d rows" % len(rows))
    check(c.all("#timeline .punch.plain"), "and drawn on the timeline")
    check("全部打卡" in c.find("#punch-scope").text, "the page says every punch is shown")
    title = c.driver.execute_script("return document.querySelector('#timeline .punch.plain title').textContent")
    check(re.search(r"\.(csv|dat|txt):\d+$", title), "a dot's title names file:line: " + title)
    c.shot("anomaly-day-punches")


def test_not_found(c):
    c.sign_in(HR)
    c.open("/no/such/page")
    message = c.wait("#error-message")
    check("未找到该页面" in message.text, "an unknown path is the console's 404 page: " + message.text)


def staff_anomaly(c):
    """The first anomaly the staff member may still explain, from their own page."""
    c.open("/me")
    c.wait("#own-anomalies")
    links = [a for a in c.all("#own-anomalies a") if a.text == "提交说明"]
    check(links, "the staff member has an open anomaly to explain")
    return links[0].get_attribute("href")


def test_manager_refused(c):
    staff = Console(c.base, c.shots)
    try:
        staff.sign_in(STAFF)
        target = staff_anomaly(staff)
    finally:
        staff.quit()
    c.sign_in(MANAGER)
    c.driver.get(target)
    message = c.wait("#error-message")
    check("不在您的查看范围" in message.text, "a manager of 一中队 is refused a person of 办公室: " + message.text)
    c.shot("manager-refused")
    c.open("/reviews")
    check("胡建军" not in c.text(), "the manager's queue does not list the other unit's person")
    check(not c.all("#queue input[name=id]"), "a manager has no review boxes")


def test_staff_explanation(c):
    c.sign_in(STAFF)
    target = staff_anomaly(c)
    c.driver.get(target)
    c.wait("#explain-form")
    c.find("#text").send_keys("当晚值班室空调故障，到楼下配电间处理，已向带班领导报告")
    c.submit("#explain-form")
    c.wait("#notice")
    c.shot("staff-explanation")
    hr = Console(c.base, c.shots)
    try:
        hr.sign_in(HR)
        hr.driver.get(target)
        hr.wait("#review-form")
        check("空调故障" in hr.text() and "胡建军" in hr.text(), "HR sees the explanation beside the evidence")
        check(hr.all("#timeline") and hr.all("#evidence"), "the evidence is on the same page")
        check("全部打卡" in hr.find("#punch-scope").text,
              "the page says the timeline holds every punch of the person's day")
        hr.shot("explanation-for-hr")
    finally:
        hr.quit()


def test_csrf_refused(c):
    c.sign_in(HR)
    c.open("/reviews?state=open&from=2026-10-01&to=2026-10-31")
    c.wait("#queue tbody tr").find_element(By.LINK_TEXT, "详情").click()
    c.wait("#review-form")
    c.driver.execute_script("document.querySelector('#review-form input[name=csrf]').remove()")
    c.find("#review-form input[value=confirmed]").click()
    c.find("#note").send_keys("属实")
    c.submit("#review-form")
    message = c.wait("#error-message")
    check("表单已失效" in message.text, "a form without its token is refused: " + message.text)
    c.shot("csrf-refused")


def test_sign_out(c):
    c.sign_in(HR)
    c.find("#sign-out").click()
    c.wait("#signin-form")
    check(c.path().startswith("/login"), "signing out goes to the sign-in page")
    c.open("/reviews")
    c.wait("#signin-form")
    check(c.path().startswith("/login"), "after sign-out the queue asks to sign in again")
    c.shot("signed-out")


def test_session_expiry(c):
    """The collector runs with [console] idle_minutes = 1."""
    c.sign_in(HR)
    c.open("/reviews")
    c.wait("#queue")
    time.sleep(65)
    c.open("/reviews")
    c.wait("#signin-form")
    check(c.path().startswith("/login?next=/reviews"), "an idle session has ended: " + c.path())
    c.shot("session-expired")


TESTS = [test_sign_in, test_wrong_password, test_lockout_delay, test_staff_explanation, test_manager_refused,
         test_review_one, test_bulk_excuse, test_suspected, test_day_punches, test_not_found, test_csrf_refused, test_sign_out, test_session_expiry]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--shots", required=True)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    os.makedirs(args.shots, exist_ok=True)
    passed = failed = 0
    for test in TESTS:
        if args.only and args.only not in test.__name__:
            continue
        console = Console(args.base, args.shots)
        started = time.time()
        try:
            test(console)
            passed += 1
            print("PASS %s (%.1f s)" % (test.__name__, time.time() - started), flush=True)
        except (AssertionError, TimeoutException, Exception) as error:  # noqa: B902 - report every failure
            failed += 1
            console.driver.save_screenshot(os.path.join(args.shots, "FAILED-" + test.__name__ + ".png"))
            print("FAIL %s: %s" % (test.__name__, error), flush=True)
            traceback.print_exc()
        finally:
            console.quit()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
