//! The workbench (`/me`, #15) on both databases: it starts with what waits on the caller — cases on
//! their step, members' reports to confirm, a district's summary while it is due — urgent lines first,
//! and ends with the account's details.

mod common;

use common::TestApp;
use store::on_both_databases;
use store::test_support::TestDatabase;

fn tasks_of(html: &str) -> &str {
    let start = html.find("待办事项").expect("the to-do list");
    let end = html[start..].find("</section>").map_or(html.len(), |e| start + e);
    &html[start..end]
}

async fn the_workbench_starts_with_what_waits(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (staff, _) = app.page_session("demo-staff").await;
    let me = common::get_text(&staff, &app.url("/me")).await;
    let tasks = tasks_of(&me);
    assert!(tasks.contains("件群众意见待您办理"), "{tasks}");
    assert!(tasks.contains("项委员报送的活动待确认"), "{tasks}");
    assert!(
        me.find("tasks-heading").unwrap() < me.find("account-heading").unwrap(),
        "the account's details come last"
    );

    // 海珠区's summary is a draft: its staff are reminded, urgently once the due day is near.
    let (other, _) = app.page_session("demo-other-district").await;
    let me = common::get_text(&other, &app.url("/me")).await;
    let tasks = tasks_of(&me);
    assert!(
        tasks.contains("2026 年度工作总结（草稿）尚未报送，距 12月20日 截止还有 20 天"),
        "{tasks}"
    );
    assert!(!tasks.contains("class=\"urgent\""), "{tasks}");
    // 越秀区's is submitted: nothing to remind.
    let (district, _) = app.page_session("demo-district").await;
    let me = common::get_text(&district, &app.url("/me")).await;
    assert!(!tasks_of(&me).contains("年度工作总结"), "{me}");

    app.clock.advance(chrono::Duration::days(15));
    let (other, _) = app.page_session("demo-other-district").await;
    let me = common::get_text(&other, &app.url("/me")).await;
    let tasks = tasks_of(&me);
    assert!(
        tasks.contains("<li class=\"urgent\"><a href=\"/admin/annual-summaries/440105/2026\">"),
        "{tasks}"
    );
    assert!(tasks.contains("还有 5 天"), "{tasks}");
}

async fn nothing_waiting_says_so(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (city, _) = app.page_session("demo-city").await;
    let me = common::get_text(&city, &app.url("/me")).await;
    let tasks = tasks_of(&me);
    // The city office is not pressed with every room's reports nor with a summary of its own.
    assert!(!tasks.contains("待确认"), "{tasks}");
    assert!(!tasks.contains("年度工作总结"), "{tasks}");
}

on_both_databases!(the_workbench_starts_with_what_waits, nothing_waiting_says_so);
