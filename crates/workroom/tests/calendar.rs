//! The reception calendar end to end, on both databases: published reception days per room with their
//! reasons, official arrangements loaded and refused, rule versions from a future date, districts' own
//! days and blocked dates within scope, the admin page and the command line.

mod common;

use common::{TestApp, get_text, hidden_value, one_line_failure, stderr, stdout, workroom};
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

/// 洪桥街政协委员工作室 (越秀区), 华乐街 (越秀区, receives monthly), 海珠区流动委员工作室.
const HONGQIAO: i64 = 1;
const HUALE: i64 = 2;
const HAIZHU_MOBILE: i64 = 4;

async fn days(app: &TestApp, room: i64, year: i32) -> Vec<Value> {
    let (status, body) = app
        .get_json(&format!("/api/v1/rooms/{room}/reception-days?year={year}"))
        .await;
    assert_eq!(status, 200, "{body}");
    body.as_array().unwrap().clone()
}

fn dates(days: &[Value]) -> Vec<String> {
    days.iter()
        .map(|d| d["date"].as_str().unwrap().to_owned())
        .collect()
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let response = app
        .with_token(Method::POST, path, token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn reception_days_are_published_with_their_reasons(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let found = days(&app, HONGQIAO, 2024).await;
    assert_eq!(
        dates(&found),
        [
            "2024-01-15",
            "2024-03-15",
            "2024-05-15",
            "2024-07-15",
            "2024-09-18",
            "2024-11-15"
        ]
    );
    let september = &found[4];
    assert_eq!(september["nominal_date"], "2024-09-15");
    assert_eq!(
        september["reason"],
        "2024-09-15 至 2024-09-17 为中秋节假期，顺延至 2024-09-18（星期三）"
    );
    assert_eq!(september["notice_by"], "2024-09-15");
    assert_eq!(september["provisional"], false);
    assert_eq!(september["skipped"][0]["kind"], "holiday");
    assert_eq!(september["skipped"][0]["name"], "中秋节");

    // A room that receives monthly gets twelve, the Spring Festival week moving February's.
    let monthly = days(&app, HUALE, 2026).await;
    assert_eq!(monthly.len(), 12);
    assert_eq!(monthly[1]["date"], "2026-02-24");

    // No official arrangement for 2027 yet: computed on weekends alone and marked provisional.
    let provisional = days(&app, HONGQIAO, 2027).await;
    assert!(provisional.iter().all(|d| d["provisional"] == true));
    assert!(provisional[0]["reason"].as_str().unwrap().contains("暂定"));

    // The room's public record and page carry this year's schedule (the test clock is in 2026).
    let (_, room) = app.get_json(&format!("/api/v1/public/rooms/{HONGQIAO}")).await;
    assert_eq!(
        dates(room["reception_schedule"].as_array().unwrap()),
        [
            "2026-01-15",
            "2026-03-16",
            "2026-05-15",
            "2026-07-15",
            "2026-09-15",
            "2026-11-16"
        ]
    );
    let page = get_text(&app.client, &app.url(&format!("/rooms/{HONGQIAO}"))).await;
    assert!(
        page.contains("<time datetime=\"2026-03-16\">3月16日</time>"),
        "{page}"
    );
    assert!(page.contains("2026-03-15 为星期日，顺延至 2026-03-16（星期一）"));
    assert!(
        page.contains(
            "下次接待：<strong><time datetime=\"2027-01-15\">2027年1月15日</time> 星期五</strong>（暂定）"
        ),
        "{page}"
    );
    let poster = get_text(&app.client, &app.url(&format!("/rooms/{HONGQIAO}/poster"))).await;
    assert!(poster.contains("<time datetime=\"2026-11-16\">11月16日</time>"));

    // Residents: the coming weeks across the city, and each community's room with its next day.
    let (status, coming) = app.get_json("/api/v1/public/reception-days?days=60").await;
    assert_eq!(status, 200);
    let coming = coming.as_array().unwrap();
    assert_eq!(
        coming.len(),
        7,
        "华乐街 receives in December; all six rooms on 15 January"
    );
    assert_eq!(
        (coming[0]["date"].as_str(), coming[0]["room"]["id"].as_i64()),
        (Some("2026-12-15"), Some(HUALE))
    );
    assert!(
        coming[1..]
            .iter()
            .all(|c| c["date"] == "2027-01-15" && c["provisional"] == true)
    );
    assert_eq!(app.get_json("/api/v1/public/reception-days?days=0").await.0, 422);
    let page = get_text(&app.client, &app.url("/reception-days")).await;
    assert!(page.contains("2026年12月15日</time> 星期二"), "{page}");
    assert!(
        page.find("越秀区").unwrap() < page.find("海珠区").unwrap(),
        "districts in code order"
    );
    let community = get_text(&app.client, &app.url("/divisions/440104001007")).await;
    assert!(
        community.contains("下次接待：<time datetime=\"2027-01-15\">2027年1月15日</time> 星期五（暂定）"),
        "{community}"
    );

    // Bad input: a clear 4xx, never a 500.
    for (path, status) in [
        (format!("/api/v1/rooms/{HONGQIAO}/reception-days?year=1999"), 422),
        (format!("/api/v1/rooms/{HONGQIAO}/reception-days?year=abc"), 400),
        ("/api/v1/rooms/999999/reception-days?year=2024".to_owned(), 404),
        ("/api/v1/rooms/abc/reception-days".to_owned(), 400),
    ] {
        let (got, body) = app.get_json(&path).await;
        assert_eq!(got, status, "{path}: {body}");
        assert!(body["error"]["message"].as_str().is_some(), "{path}: {body}");
    }
}

const ARRANGEMENT_2027: &str = r#"year = 2027
notice_title = "国务院办公厅关于2027年部分节假日安排的通知"

[[festival]]
name = "元旦"
holidays = ["2027-01-01", "2027-01-02", "2027-01-03"]

[[festival]]
name = "劳动节"
holidays = ["2027-05-01", "2027-05-02", "2027-05-03", "2027-05-04", "2027-05-05"]
workdays = ["2027-05-08"]
"#;

async fn the_city_loads_arrangements_and_bad_files_are_refused_by_line(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let district = app.token("demo-district").await;
    let upload = |token: &str, body: &str| {
        app.with_token(Method::POST, "/api/v1/calendar/arrangements", token)
            .header("content-type", "application/toml")
            .body(body.to_owned())
            .send()
    };
    let (_, list) = app.get_json("/api/v1/calendar/arrangements").await;
    let years: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years, [2026, 2025, 2024, 2023, 2022, 2021, 2020, 2019]);
    assert_eq!(list[0]["source"], "shipped");

    // District staff may not; a self-contradicting file is refused with its line and nothing is stored.
    assert_eq!(upload(&district, ARRANGEMENT_2027).await.unwrap().status(), 403);
    let contradicting = ARRANGEMENT_2027.replace(r#"["2027-05-08"]"#, r#"["2027-05-08", "2027-05-01"]"#);
    let refused = upload(&city, &contradicting).await.unwrap();
    assert_eq!(refused.status(), 422);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(
        body["error"]["message"],
        "第 11 行：2027-05-01 既是放假日又是上班日（另见劳动节）"
    );
    let wrong_year = upload(&city, &ARRANGEMENT_2027.replace("2027-01-03", "2028-01-03"))
        .await
        .unwrap();
    assert_eq!(wrong_year.status(), 422);
    assert_eq!(
        app.get_json("/api/v1/calendar/arrangements")
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        8
    );
    assert!(days(&app, HONGQIAO, 2027).await[0]["provisional"] == true);

    // The good file loads once; again changes nothing; 2027 is no longer provisional.
    let loaded = upload(&city, ARRANGEMENT_2027).await.unwrap();
    assert_eq!(loaded.status(), 201);
    let body: Value = loaded.json().await.unwrap();
    assert_eq!(
        (body["outcome"].as_str(), body["holidays"].as_i64()),
        (Some("added"), Some(8))
    );
    let again: Value = upload(&city, ARRANGEMENT_2027)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["outcome"], "unchanged");
    let found = days(&app, HONGQIAO, 2027).await;
    assert!(found.iter().all(|d| d["provisional"] == false));
    let audit: Value = app
        .with_token(
            Method::GET,
            "/api/v1/audit?entity=holiday_arrangement&actor=demo-city",
            &city,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entries = audit.as_array().unwrap();
    assert_eq!(
        entries.len(),
        1,
        "one load, none for the unchanged re-load: {audit}"
    );
    assert!(audit.to_string().contains("calendar.arrangement.load"), "{audit}");
}

async fn rule_versions_start_tomorrow_or_later_and_leave_the_past_alone(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let district = app.token("demo-district").await;
    let before_2026 = dates(&days(&app, HONGQIAO, 2026).await);

    let version = json!({ "effective_from": "2027-01-01", "reception_day_of_month": 20 });
    assert_eq!(
        post(&app, &district, "/api/v1/rules", version.clone()).await.0,
        403
    );
    let (status, body) = post(&app, &city, "/api/v1/rules", version.clone()).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(post(&app, &city, "/api/v1/rules", version).await.0, 409);
    // Today (2026-11-30 in the test clock) or earlier would rewrite the past.
    let (status, body) = post(
        &app,
        &city,
        "/api/v1/rules",
        json!({ "effective_from": "2026-11-30", "reception_day_of_month": 20 }),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body["error"]["message"].as_str().unwrap().contains("2026-12-01"),
        "{body}"
    );
    for bad in [
        json!({ "effective_from": "2027-02-01", "reception_day_of_month": 31 }),
        json!({ "effective_from": "2027-02-01", "reception_months": [] }),
        json!({ "effective_from": "2027-02-01", "point_levels": ["mayor"] }),
        json!({ "effective_from": "not a date" }),
    ] {
        let (status, body) = post(&app, &city, "/api/v1/rules", bad.clone()).await;
        assert!(status == 422 || status == 400, "{bad}: {status} {body}");
    }

    // A later version given only one rule keeps the latest version's others (day 20), not 2019's.
    let (status, _) = post(
        &app,
        &city,
        "/api/v1/rules",
        json!({ "effective_from": "2027-09-01", "notice_lead_days": 5 }),
    )
    .await;
    assert_eq!(status, 201);
    let (_, versions) = app.get_json("/api/v1/rules").await;
    assert_eq!(versions.as_array().unwrap().len(), 3);
    assert_eq!(versions[2]["reception_day_of_month"], 20);
    assert_eq!(versions[2]["notice_lead_days"], 5);
    assert_eq!(versions[0]["effective_from"], "2019-10-31");
    assert_eq!(versions[0]["reception_day_of_month"], 15);
    assert_eq!(versions[1]["reception_day_of_month"], 20);
    assert_eq!(
        versions[1]["min_yearly_activities"], 2,
        "rules not given keep their value"
    );

    let nominal: Vec<String> = days(&app, HONGQIAO, 2027)
        .await
        .iter()
        .map(|d| d["nominal_date"].as_str().unwrap()[8..].to_owned())
        .collect();
    assert_eq!(nominal, ["20", "20", "20", "20", "20", "20"]);
    assert_eq!(dates(&days(&app, HONGQIAO, 2026).await), before_2026);
}

async fn districts_set_their_own_day_and_block_dates_within_scope(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let district = app.token("demo-district").await;
    let other = app.token("demo-other-district").await;

    // 越秀区 receives on the 10th from 2027; 海珠区 keeps the 15th.
    let day = json!({ "day_of_month": 10, "effective_from": "2027-01-01" });
    assert_eq!(
        post(
            &app,
            &other,
            "/api/v1/districts/440104/reception-day",
            day.clone()
        )
        .await
        .0,
        403
    );
    let (status, body) = post(
        &app,
        &district,
        "/api/v1/districts/440104/reception-day",
        day.clone(),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        post(&app, &district, "/api/v1/districts/440104/reception-day", day)
            .await
            .0,
        409
    );
    for (bad, why) in [
        (
            json!({ "day_of_month": 31, "effective_from": "2027-02-01" }),
            "1–28",
        ),
        (
            json!({ "day_of_month": 10, "effective_from": "2026-11-01" }),
            "明天",
        ),
        (
            json!({ "day_of_month": 10, "effective_from": "2027-02-10" }),
            "1 日",
        ),
    ] {
        let (status, body) = post(&app, &district, "/api/v1/districts/440104/reception-day", bad).await;
        assert_eq!(status, 422);
        assert!(body["error"]["message"].as_str().unwrap().contains(why), "{body}");
    }
    let yuexiu = days(&app, HONGQIAO, 2027).await;
    assert_eq!(yuexiu[0]["nominal_date"], "2027-01-10");
    assert_eq!(
        days(&app, HAIZHU_MOBILE, 2027).await[0]["nominal_date"],
        "2027-01-15"
    );

    // A blocked date moves the reception day on, with the event named; only that district's rooms.
    let march = yuexiu[1]["date"].as_str().unwrap().to_owned();
    let block = json!({ "district": "越秀区", "date": march, "event": "区重要会议" });
    assert_eq!(
        post(&app, &other, "/api/v1/blocked-dates", block.clone()).await.0,
        403
    );
    let (status, blocked) = post(&app, &district, "/api/v1/blocked-dates", block.clone()).await;
    assert_eq!(status, 201, "{blocked}");
    assert_eq!(post(&app, &district, "/api/v1/blocked-dates", block).await.0, 409);
    let moved = &days(&app, HONGQIAO, 2027).await[1];
    assert_ne!(moved["date"], march.as_str());
    assert!(
        moved["reason"]
            .as_str()
            .unwrap()
            .contains("有重要活动（区重要会议）"),
        "{moved}"
    );

    // The whole city: only the city office.
    let citywide = json!({ "date": "2027-05-17", "event": "全市重要活动" });
    assert_eq!(
        post(&app, &district, "/api/v1/blocked-dates", citywide.clone())
            .await
            .0,
        403
    );
    assert_eq!(post(&app, &city, "/api/v1/blocked-dates", citywide).await.0, 201);
    assert_eq!(days(&app, HAIZHU_MOBILE, 2027).await[2]["date"], "2027-05-18");
    // Hostile text is stored as text; a past date or an empty event is refused.
    for (bad, status) in [
        (
            json!({ "district": "440104", "date": "2026-11-29", "event": "过去" }),
            422,
        ),
        (
            json!({ "district": "440104", "date": "2027-06-01", "event": "  " }),
            422,
        ),
        (
            json!({ "district": "440104", "date": "2027-13-01", "event": "x" }),
            422,
        ),
        (
            json!({ "district": "不存在区", "date": "2027-06-01", "event": "x" }),
            403,
        ),
    ] {
        let (got, body) = post(&app, &district, "/api/v1/blocked-dates", bad.clone()).await;
        assert_eq!(got, status, "{bad}: {body}");
    }

    // The district's calendar lists both; the other district cannot read it or remove from it.
    let calendar: Value = app
        .with_token(
            Method::GET,
            "/api/v1/districts/440104/calendar?year=2027",
            &district,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(calendar["reception_days_of_month"][0]["day_of_month"], 10);
    assert_eq!(calendar["blocked_dates"].as_array().unwrap().len(), 2);
    let id = blocked["id"].as_i64().unwrap();
    let path = format!("/api/v1/blocked-dates/{id}");
    let remove = |token: &str| app.with_token(Method::DELETE, &path, token).send();
    assert_eq!(remove(&other).await.unwrap().status(), 403);
    assert_eq!(remove(&district).await.unwrap().status(), 204);
    assert_eq!(days(&app, HONGQIAO, 2027).await[1]["date"], march.as_str());
}

async fn the_calendar_page_keeps_the_district_and_refuses_bad_forms(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (client, csrf) = app.page_session("demo-district").await;
    let page = get_text(&client, &app.url("/admin/calendar?year=2024")).await;
    assert!(page.contains("越秀区 2024 年接待日"), "{page}");
    assert!(page.contains("2024-09-15 至 2024-09-17 为中秋节假期"));
    assert!(
        !page.contains("新增规则版本"),
        "district staff do not edit the rules"
    );

    let submit =
        |path: &'static str, form: Vec<(&'static str, String)>| client.post(app.url(path)).form(&form).send();
    let with_csrf = |mut form: Vec<(&'static str, String)>| {
        form.push(("csrf", csrf.clone()));
        form
    };
    let response = submit(
        "/admin/calendar/district-day",
        with_csrf(vec![
            ("district", "440104".into()),
            ("day_of_month", "abc".into()),
            ("effective_from", "2027-01-01".into()),
        ]),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("接待日应为整数"));
    let response = submit(
        "/admin/calendar/blocked",
        with_csrf(vec![
            ("district", "440104".into()),
            ("date", "2027-03-15".into()),
            ("event", "<script>alert(1)</script>".into()),
        ]),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    let page = get_text(&client, &app.url("/admin/calendar?year=2027")).await;
    assert!(
        page.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{page}"
    );
    assert!(!page.contains("<script>alert(1)"));
    // Without the page's token the form is refused.
    let response = submit(
        "/admin/calendar/blocked",
        vec![
            ("district", "440104".into()),
            ("date", "2027-04-15".into()),
            ("event", "x".into()),
        ],
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 403);

    // The city office sees the rules form and can add a version on the page.
    let (city, city_csrf) = app.page_session("demo-city").await;
    let page = get_text(&city, &app.url("/admin/calendar")).await;
    assert!(page.contains("新增规则版本"));
    let csrf = hidden_value(&page, "csrf");
    assert_eq!(csrf, city_csrf);
    let form = [
        ("csrf", csrf.as_str()),
        ("effective_from", "2027-07-01"),
        ("reception_day_of_month", "18"),
        ("reception_months", "odd"),
        ("notice_lead_days", "5"),
        ("min_yearly_activities", "2"),
        ("points_per_activity", "10"),
        ("point_levels", "市"),
        ("annual_summary_due", "12-20"),
        ("triage_working_days", "1"),
        ("department_working_days", "7"),
    ];
    let response = city
        .post(app.url("/admin/calendar/rules"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("已新增自 2027-07-01 起施行的规则版本")
    );
    let found = days(&app, HAIZHU_MOBILE, 2027).await;
    assert_eq!(found[3]["nominal_date"], "2027-07-18");
    let notice_by =
        chrono::NaiveDate::parse_from_str(found[3]["notice_by"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let date = chrono::NaiveDate::parse_from_str(found[3]["date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    assert_eq!((date - notice_by).num_days(), 5);
}

on_both_databases!(
    reception_days_are_published_with_their_reasons,
    the_city_loads_arrangements_and_bad_files_are_refused_by_line,
    rule_versions_start_tomorrow_or_later_and_leave_the_past_alone,
    districts_set_their_own_day_and_block_dates_within_scope,
    the_calendar_page_keeps_the_district_and_refuses_bad_forms
);

#[test]
fn the_command_line_prints_only_dates_and_warns_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cal.db").display());
    let output = workroom(
        dir.path(),
        &["calendar", "reception-days", "--year", "2024", "--database", &url],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "2024-01-15\n2024-03-15\n2024-05-15\n2024-07-15\n2024-09-18\n2024-11-15\n"
    );
    assert_eq!(stderr(&output), "");

    let output = workroom(
        dir.path(),
        &[
            "calendar",
            "reception-days",
            "--year",
            "2026",
            "--monthly",
            "--database",
            &url,
        ],
    );
    let printed = stdout(&output);
    assert_eq!(printed.lines().count(), 12);
    assert!(printed.lines().all(|l| l.len() == 10 && l.starts_with("2026-")));
    assert!(printed.contains("2026-02-24\n"));

    // 2027 is not loaded: dates on stdout, the warning on stderr.
    let output = workroom(
        dir.path(),
        &["calendar", "reception-days", "--year", "2027", "--database", &url],
    );
    assert!(output.status.success());
    assert_eq!(stdout(&output).lines().count(), 6);
    assert!(stderr(&output).contains("provisional"), "{}", stderr(&output));

    // Loading the 2027 arrangement ends the warning; a bad file names its line and changes nothing.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, ARRANGEMENT_2027.replace("2027-05-08", "2027-05-07")).unwrap();
    let output = workroom(
        dir.path(),
        &["calendar", "import", bad.to_str().unwrap(), "--database", &url],
    );
    let line = one_line_failure(&output);
    assert!(line.contains("第 11 行：2027-05-07 是星期五"), "{line}");
    let good = dir.path().join("2027.toml");
    std::fs::write(&good, ARRANGEMENT_2027).unwrap();
    let output = workroom(
        dir.path(),
        &["calendar", "import", good.to_str().unwrap(), "--database", &url],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("2027 年节假日安排已载入"));
    let output = workroom(
        dir.path(),
        &["calendar", "reception-days", "--year", "2027", "--database", &url],
    );
    assert_eq!(stderr(&output), "");

    // A district by name, a room by id; unknown ones fail with one line.
    workroom(dir.path(), &["demo", "--database", &url]);
    let output = workroom(
        dir.path(),
        &[
            "calendar",
            "reception-days",
            "--year",
            "2026",
            "--room",
            "2",
            "--database",
            &url,
        ],
    );
    assert_eq!(stdout(&output).lines().count(), 12, "华乐街 receives monthly");
    let output = workroom(
        dir.path(),
        &[
            "calendar",
            "reception-days",
            "--year",
            "2026",
            "--district",
            "越秀区",
            "--database",
            &url,
        ],
    );
    assert_eq!(stdout(&output).lines().count(), 6);
    for args in [
        vec!["--district", "东城区"],
        vec!["--room", "999"],
        vec!["--district", "海珠区", "--room", "1"],
    ] {
        let mut all = vec!["calendar", "reception-days", "--year", "2026", "--database", &url];
        all.extend(args);
        let output = workroom(dir.path(), &all);
        one_line_failure(&output);
        assert_eq!(stdout(&output), "");
    }
    let output = workroom(
        dir.path(),
        &["calendar", "reception-days", "--year", "1800", "--database", &url],
    );
    assert!(one_line_failure(&output).contains("2019"));
}
