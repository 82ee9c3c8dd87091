//! The leaders' dashboard (工作概览, X4) on both databases: the city by district, a district and a
//! town/street by room, each figure equal to what the underlying lists and the annual summary count,
//! who may open it, and the page with its charts and tables.

mod common;

use chrono::{DateTime, Datelike, FixedOffset, Utc};
use common::{TestApp, call};
use reqwest::Method;
use serde_json::Value;
use store::on_both_databases;
use store::test_support::TestDatabase;

fn sum(list: &Value, field: &str) -> u64 {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item[field].as_u64().unwrap())
        .sum()
}

fn received_in(case: &Value, year: i32) -> bool {
    let at: DateTime<Utc> = case["received_at"].as_str().unwrap().parse().unwrap();
    at.with_timezone(&FixedOffset::east_opt(8 * 3600).unwrap()).year() == year
}

async fn the_city_sees_every_district_and_the_figures_add_up(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let (status, d) = call(&app, &city, Method::GET, "/api/v1/dashboard?year=2026", None).await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["scope"], "广州市");
    assert_eq!(d["unit_kind"], "district");
    let units = d["units"].as_array().unwrap();
    assert_eq!(units.len(), 11, "all eleven districts, even those without rooms");

    // Activities: the months, the kinds and the districts each add up to the confirmed activities.
    let (_, activities) = call(
        &app,
        &city,
        Method::GET,
        "/api/v1/activities?year=2026&status=confirmed",
        None,
    )
    .await;
    let confirmed = activities.as_array().unwrap().len() as u64;
    assert!(confirmed > 0);
    let months: u64 = d["activities_by_month"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(months, confirmed);
    assert_eq!(sum(&d["activities_by_kind"], "count"), confirmed);
    assert_eq!(sum(&d["units"], "activities"), confirmed);

    // Opinions: those received this year, by route, by state and by district.
    let (_, cases) = common::case_list(&app, &city).await;
    let this_year: Vec<&Value> = cases
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| received_in(c, 2026))
        .collect();
    let total = this_year.len() as u64;
    assert!(total > 0);
    assert_eq!(d["opinions_total"], total);
    assert_eq!(sum(&d["opinions_by_route"], "count"), total);
    assert_eq!(sum(&d["opinions_by_state"], "count"), total);
    assert_eq!(sum(&d["units"], "opinions"), total);
    let open = this_year.iter().filter(|c| c["status"] != "closed").count() as u64;
    assert_eq!(sum(&d["units"], "open"), open);
    assert_eq!(sum(&d["open_by_age"], "count"), open);
    let yuexiu = units.iter().find(|u| u["name"] == "越秀区").unwrap();
    assert_eq!(yuexiu["code"], "440104");
    // The demo's rooms 1–3 are 越秀区's.
    let in_yuexiu = this_year
        .iter()
        .filter(|c| (1..=3).contains(&c["room_id"].as_i64().unwrap()))
        .count() as u64;
    assert_eq!(yuexiu["opinions"], in_yuexiu);
    // Every overdue case is an open one of the year.
    for o in d["overdue"].as_array().unwrap() {
        let case = this_year
            .iter()
            .find(|c| c["id"] == o["id"])
            .expect("an overdue case is listed");
        assert_ne!(case["status"], "closed");
        assert!(o["working_days_late"].as_u64().unwrap() > 0);
    }
    assert_eq!(
        sum(&d["units"], "overdue"),
        d["overdue"].as_array().unwrap().len() as u64
    );

    // Participation by level adds up to the districts' members.
    assert_eq!(sum(&d["participation"], "members"), sum(&d["units"], "members"));
    assert_eq!(
        sum(&d["participation"], "at_or_above_minimum"),
        sum(&d["units"], "at_or_above_minimum")
    );
    let below = d["members_below_minimum"].as_array().unwrap().len() as u64;
    assert_eq!(
        sum(&d["participation"], "members") - sum(&d["participation"], "at_or_above_minimum"),
        below
    );
    assert_eq!(d["annual_summaries"].as_array().unwrap().len(), 11);
}

async fn a_district_equals_its_annual_summary(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    // 海珠区's summary is a draft, so its figures are computed now, from the same records.
    let (status, d) = call(
        &app,
        &city,
        Method::GET,
        "/api/v1/dashboard?year=2026&district=440105",
        None,
    )
    .await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["scope"], "海珠区");
    assert_eq!(d["unit_kind"], "room");
    let (status, summary) = call(
        &app,
        &city,
        Method::GET,
        "/api/v1/annual-summaries/440105/2026",
        None,
    )
    .await;
    assert_eq!(status, 200, "{summary}");
    let f = &summary["figures"];
    for field in [
        "sessions_held",
        "notices_on_time",
        "notices_due",
        "opinions_total",
        "concentrated_groups",
    ] {
        assert_eq!(d[field], f[field], "{field}");
    }
    assert_eq!(
        sum(&d["activities_by_kind"], "count"),
        f["activities_total"].as_u64().unwrap()
    );
    assert_eq!(d["members_below_minimum"], f["members_below_minimum"]);
    assert_eq!(d["participation"], f["participation"]);
    assert_eq!(d["satisfaction"], f["satisfaction"]);
    assert_eq!(d["annual_summaries"][0]["status"], "draft");

    // The district's own staff see the same, and may not open another district.
    let district = app.token("demo-district").await;
    let (status, own) = call(&app, &district, Method::GET, "/api/v1/dashboard?year=2026", None).await;
    assert_eq!(status, 200);
    assert_eq!(own["scope"], "越秀区");
    assert!(
        own["units"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["street"].is_string())
    );
    let (status, _) = call(
        &app,
        &district,
        Method::GET,
        "/api/v1/dashboard?district=440105",
        None,
    )
    .await;
    assert_eq!(status, 403);
    // A street lead sees the rooms of the street.
    let street = app.token("demo-street").await;
    let (status, s) = call(&app, &street, Method::GET, "/api/v1/dashboard?year=2026", None).await;
    assert_eq!(status, 200, "{s}");
    assert!(s["scope"].as_str().unwrap().contains("洪桥"), "{}", s["scope"]);
    assert!(
        s["units"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["street"] == "洪桥街道"),
        "{s}"
    );
    assert!(s["annual_summaries"].as_array().unwrap().is_empty());
}

async fn only_leaders_open_it_and_bad_input_is_refused(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (status, _) = app.get_json("/api/v1/dashboard").await;
    assert_eq!(status, 401);
    for who in ["demo-staff", "demo-member", "demo-dept", "demo-petition"] {
        let token = app.token(who).await;
        let (status, body) = call(&app, &token, Method::GET, "/api/v1/dashboard", None).await;
        assert_eq!(status, 403, "{who}: {body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("工作概览"));
    }
    let city = app.token("demo-city").await;
    for (path, expected) in [
        ("/api/v1/dashboard?year=2018", 422),
        ("/api/v1/dashboard?year=2028", 422),
        ("/api/v1/dashboard?year=abc", 400),
        ("/api/v1/dashboard?district=449999", 404),
        ("/api/v1/dashboard?district=越秀", 200),
    ] {
        let (status, body) = call(&app, &city, Method::GET, path, None).await;
        assert_eq!(status, expected, "{path}: {body}");
    }
}

async fn the_page_draws_charts_with_their_tables(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (page, _) = app.page_session("demo-city").await;
    let html = common::get_text(&page, &app.url("/dashboard?year=2026")).await;
    for expected in [
        "广州市 2026 年工作概览",
        "各区委员履职达标率",
        "<svg",
        "role=\"img\"",
        "<title id=\"participation-svg-title\">各区委员履职达标率</title>",
        "查看数据表",
        "/dashboard?year=2026&amp;district=440104",
        "年度工作总结报送情况",
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
    let html = common::get_text(&page, &app.url("/dashboard?year=2026&district=440104")).await;
    assert!(
        html.contains("越秀区 2026 年工作概览") && html.contains("洪桥街政协委员工作室"),
        "{html}"
    );
    let me = common::get_text(&page, &app.url("/me")).await;
    assert!(me.contains("href=\"/dashboard\""));
    let (staff, _) = app.page_session("demo-staff").await;
    let me = common::get_text(&staff, &app.url("/me")).await;
    assert!(
        !me.contains("href=\"/dashboard\""),
        "no link where the page would refuse"
    );
    let response = staff.get(app.url("/dashboard")).send().await.unwrap();
    assert_eq!(response.status(), 403);
}

on_both_databases!(
    the_city_sees_every_district_and_the_figures_add_up,
    a_district_equals_its_annual_summary,
    only_leaders_open_it_and_bad_input_is_refused,
    the_page_draws_charts_with_their_tables,
);
