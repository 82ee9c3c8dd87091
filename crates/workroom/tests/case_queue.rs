//! The case queue (案件列表, #15) on both databases: paged with the total counted by the database,
//! filtered by 待我办理 / state / route / room / year / overdue, open cases by due date, each row
//! titled by its matter; and every filter's count equals what the whole list holds.

mod common;

use std::collections::BTreeSet;

use common::{TestApp, call, get_text};
use reqwest::Method;
use serde_json::Value;
use store::on_both_databases;
use store::test_support::TestDatabase;

async fn page(app: &TestApp, token: &str, query: &str) -> Value {
    let (status, body) = call(
        app,
        token,
        Method::GET,
        &format!("/api/v1/opinions?{query}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{query}: {body}");
    body
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().unwrap()
}

async fn pages_cover_the_list_once_in_due_order(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let all = page(&app, &city, "per_page=100").await;
    let total = all["total"].as_u64().unwrap();
    assert!(total > 10, "{all}");
    assert_eq!(items(&all).len() as u64, total);
    // Open cases first, soonest due first; closed ones after.
    let dues: Vec<Option<&str>> = items(&all).iter().map(|c| c["due_on"].as_str()).collect();
    let open = dues.iter().take_while(|d| d.is_some()).count();
    assert!(dues[open..].iter().all(Option::is_none), "{dues:?}");
    assert!(dues[..open].windows(2).all(|w| w[0] <= w[1]), "{dues:?}");
    // Five at a time: every case once, the same order, the total on each page.
    let mut seen = Vec::new();
    for number in 1..=total.div_ceil(5) {
        let one = page(&app, &city, &format!("per_page=5&page={number}")).await;
        assert_eq!(one["total"], total);
        assert_eq!(
            (one["page"].as_u64(), one["per_page"].as_u64()),
            (Some(number), Some(5))
        );
        assert!(items(&one).len() <= 5 && !items(&one).is_empty());
        seen.extend(items(&one).iter().map(|c| c["id"].as_i64().unwrap()));
    }
    let expected: Vec<i64> = items(&all).iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert_eq!(seen, expected);
    let past_the_end = page(&app, &city, "per_page=5&page=99").await;
    assert!(items(&past_the_end).is_empty());
    assert_eq!(past_the_end["total"], total);
    // Twenty by default; rows titled by the matter, with their age.
    let default = page(&app, &city, "").await;
    assert_eq!(default["per_page"], 20);
    for row in items(&default) {
        let content = row["content"].as_str().unwrap();
        let matter = row["matter"].as_str().unwrap().trim_end_matches('…');
        assert!(content.starts_with(matter), "{row}");
        assert!(row["age_working_days"].is_u64());
    }
}

async fn each_filter_counts_what_the_list_holds(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let all = page(&app, &city, "per_page=100").await;
    let count = |test: &dyn Fn(&Value) -> bool| items(&all).iter().filter(|c| test(c)).count() as u64;
    let check = |query: &'static str, expected: u64| {
        let app = &app;
        let city = &city;
        async move {
            let filtered = page(app, city, &format!("{query}&per_page=100")).await;
            assert_eq!(filtered["total"], expected, "{query}: {filtered}");
            assert_eq!(items(&filtered).len() as u64, expected, "{query}");
            filtered
        }
    };
    let at_department = check("state=at_department", count(&|c| c["status"] == "at_department")).await;
    assert!(!items(&at_department).is_empty());
    check("route=street", count(&|c| c["route"] == "street")).await;
    check("room_id=2", count(&|c| c["room_id"] == 2)).await;
    check("year=2026", count(&|_| true)).await;
    check("year=2025", 0).await;
    let overdue = check(
        "overdue=true",
        count(&|c| c["late_working_days"].as_u64() > Some(0)),
    )
    .await;
    assert!(!items(&overdue).is_empty(), "the demo has late steps");
    assert!(
        items(&overdue)
            .iter()
            .all(|c| c["status"] != "closed" && c["overdue"] == true)
    );
    check(
        "state=at_department&overdue=true",
        count(&|c| c["status"] == "at_department" && c["late_working_days"].as_u64() > Some(0)),
    )
    .await;
    // The city office takes no routing step: nothing waits on it.
    check("mine=true", 0).await;
}

async fn waiting_on_me_is_what_each_party_may_act_on(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let mut kinds = BTreeSet::new();
    for who in [
        "demo-staff",
        "demo-street",
        "demo-dept",
        "demo-petition",
        "demo-member",
    ] {
        let token = app.token(who).await;
        let all = page(&app, &token, "per_page=100").await;
        let waiting: Vec<i64> = items(&all)
            .iter()
            .filter(|c| c["waits_on_caller"] == true)
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        assert!(!waiting.is_empty(), "{who} has work in the demo");
        let mine = page(&app, &token, "mine=true&per_page=100").await;
        let mine_ids: Vec<i64> = items(&mine).iter().map(|c| c["id"].as_i64().unwrap()).collect();
        assert_eq!(
            mine_ids.iter().collect::<BTreeSet<_>>(),
            waiting.iter().collect::<BTreeSet<_>>(),
            "{who}"
        );
        assert_eq!(mine["total"].as_u64(), Some(waiting.len() as u64));
        // Each is open to a step by this caller on its page.
        for id in &mine_ids {
            let (_, case) = call(&app, &token, Method::GET, &format!("/api/v1/opinions/{id}"), None).await;
            assert!(
                !case["next_actions"].as_array().unwrap().is_empty(),
                "{who}: {case}"
            );
            kinds.insert(case["status"].as_str().unwrap().to_owned());
        }
    }
    assert!(kinds.len() >= 4, "work at several steps: {kinds:?}");
}

async fn bad_filters_are_refused_with_the_field(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    for (query, field) in [
        ("state=lost", "state"),
        ("route=nowhere", "route"),
        ("per_page=101", "per_page"),
        ("per_page=0", "per_page"),
        ("page=0", "page"),
        ("year=1999", "year"),
    ] {
        let (status, body) = call(
            &app,
            &staff,
            Method::GET,
            &format!("/api/v1/opinions?{query}"),
            None,
        )
        .await;
        assert_eq!(status, 422, "{query}: {body}");
        assert_eq!(body["error"]["field"], field, "{query}: {body}");
    }
    // Not a number at all: refused as a malformed query, like every API query.
    let (status, body) = call(&app, &staff, Method::GET, "/api/v1/opinions?page=abc", None).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_query")),
        "{body}"
    );
}

async fn the_queue_page_filters_and_pages(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (client, _) = app.page_session("demo-city").await;
    let first = get_text(&client, &app.url("/admin/opinions")).await;
    assert!(first.contains("案件列表（共"), "{first}");
    // Titled by the matter, not the masked code.
    assert!(
        first.contains(">老旧小区加装电梯审批流程长，希望简化。</a>"),
        "{first}"
    );
    assert!(first.contains("rel=\"next\""), "more than one page");
    assert!(first.contains("第 1 / 2 页"), "{first}");
    let second = get_text(&client, &app.url("/admin/opinions?page=2")).await;
    assert!(second.contains("rel=\"prev\"") && second.contains("第 2 / 2 页"));
    let overdue = get_text(&client, &app.url("/admin/opinions?overdue=1&state=at_department")).await;
    assert!(overdue.contains("已超期"), "{overdue}");
    assert!(overdue.contains("<option value=\"at_department\" selected>"));
    // The filters are kept in the page links.
    let (staff, _) = app.page_session("demo-staff").await;
    let mine = get_text(&staff, &app.url("/admin/opinions?mine=1")).await;
    assert!(mine.contains("待您办理</span>"), "{mine}");
    assert!(mine.contains("name=\"mine\" value=\"1\" checked"));
    let response = staff
        .get(app.url("/admin/opinions?page=abc"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("页码应为数字"));
}

on_both_databases!(
    pages_cover_the_list_once_in_due_order,
    each_filter_counts_what_the_list_holds,
    waiting_on_me_is_what_each_party_may_act_on,
    bad_filters_are_refused_with_the_field,
    the_queue_page_filters_and_pages,
);
