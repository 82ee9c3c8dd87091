//! Districts' annual summaries (R14) on both databases: the city's overview with the demo's states and
//! lateness, a district writing, submitting and resubmitting after a return, the city receiving, every
//! refusal a clear 4xx with nothing written, the figures equal to what the records say, the Word
//! document and the command line.

mod common;

use common::{TestApp, call, workroom};
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

const YUEXIU: &str = "440104";

fn docx_text(bytes: &[u8]) -> String {
    docx_rs::read_docx(bytes).expect("a Word document").json()
}

async fn the_city_sees_every_district_with_its_status_and_lateness(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let (status, list) = call(
        &app,
        &city,
        Method::GET,
        "/api/v1/annual-summaries?year=2026",
        None,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 11, "all eleven districts");
    let of = |list: &[Value], name: &str| list.iter().find(|d| d["district"] == name).unwrap().clone();
    assert_eq!(of(list, "越秀区")["status"], "submitted");
    assert_eq!(of(list, "越秀区")["district_code"], YUEXIU);
    assert_eq!(of(list, "海珠区")["status"], "draft");
    assert_eq!(of(list, "荔湾区")["status"], "returned");
    assert_eq!(of(list, "天河区")["status"], "not_started");
    assert_eq!(of(list, "天河区")["due_date"], "2026-12-20");
    assert_eq!(of(list, "天河区")["days_left"], 20);
    assert!(
        list.iter().all(|d| d["late"] == false),
        "before the due day nobody is late"
    );
    // On the due day a summary not submitted is late; 越秀区, submitted before, is not.
    app.clock.advance(chrono::Duration::days(20));
    let city = app.token("demo-city").await; // the first session has expired meanwhile
    let (_, list) = call(
        &app,
        &city,
        Method::GET,
        "/api/v1/annual-summaries?year=2026",
        None,
    )
    .await;
    let list = list.as_array().unwrap();
    assert_eq!(of(list, "天河区")["late"], true);
    assert_eq!(of(list, "越秀区")["late"], false);

    // A district sees its own line only; nobody else sees any.
    let district = app.token("demo-district").await;
    let (status, own) = call(
        &app,
        &district,
        Method::GET,
        "/api/v1/annual-summaries?year=2026",
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(own.as_array().unwrap().len(), 1);
    for who in [
        "demo-street",
        "demo-staff",
        "demo-member",
        "demo-dept",
        "demo-petition",
    ] {
        let token = app.token(who).await;
        let (status, body) = call(
            &app,
            &token,
            Method::GET,
            "/api/v1/annual-summaries?year=2026",
            None,
        )
        .await;
        assert_eq!(status, 403, "{who}: {body}");
    }
    let (status, _) = call(
        &app,
        &city,
        Method::GET,
        "/api/v1/annual-summaries?year=2018",
        None,
    )
    .await;
    assert_eq!(status, 422);
}

async fn a_district_writes_submits_and_resubmits_after_a_return(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let district = app.token("demo-district").await;
    let other = app.token("demo-other-district").await;
    let path = format!("/api/v1/annual-summaries/{YUEXIU}/2025");
    let (status, fresh) = call(&app, &district, Method::GET, &path, None).await;
    assert_eq!(status, 200, "{fresh}");
    assert_eq!(fresh["status"], "not_started");
    assert_eq!(fresh["actions"], json!(["save_text"]));

    // Refusals, each with nothing written.
    let submit = format!("{path}/submit");
    let (status, err) = call(&app, &district, Method::POST, &submit, None).await;
    assert_eq!(status, 409, "nothing to submit yet: {err}");
    let (status, _) = call(&app, &district, Method::PUT, &path, Some(json!({"text": ""}))).await;
    assert_eq!(status, 200, "an empty draft may be saved");
    let (status, err) = call(&app, &district, Method::POST, &submit, None).await;
    assert_eq!(status, 422, "an empty summary is not submitted: {err}");
    assert_eq!(err["error"]["field"], "text");
    let (status, _) = call(&app, &other, Method::PUT, &path, Some(json!({"text": "越权"}))).await;
    assert_eq!(status, 403, "another district");
    let (status, _) = call(&app, &city, Method::PUT, &path, Some(json!({"text": "代写"}))).await;
    assert_eq!(status, 403, "the city receives, the district writes");
    let (status, _) = call(
        &app,
        &district,
        Method::PUT,
        &path,
        Some(json!({"text": "a\u{202E}b"})),
    )
    .await;
    assert_eq!(status, 422);
    let (_, still) = call(&app, &district, Method::GET, &path, None).await;
    assert_eq!(
        (still["status"].as_str(), still["text"].as_str()),
        (Some("draft"), Some(""))
    );

    let text = "二、主要工作\n组织委员接待群众。\n三、经验做法\n公告提前张贴。";
    let (status, saved) = call(&app, &district, Method::PUT, &path, Some(json!({ "text": text }))).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["actions"], json!(["save_text", "submit"]));
    let (status, submitted) = call(&app, &district, Method::POST, &submit, None).await;
    assert_eq!(status, 200, "{submitted}");
    assert_eq!(submitted["status"], "submitted");
    assert_eq!(submitted["versions"].as_array().unwrap().len(), 1);
    assert_eq!(submitted["actions"], json!([]));
    let (status, _) = call(&app, &district, Method::POST, &submit, None).await;
    assert_eq!(status, 409, "a second submit");
    let (status, _) = call(&app, &district, Method::PUT, &path, Some(json!({"text": "改"}))).await;
    assert_eq!(status, 409, "a submitted summary is not edited");
    let (status, _) = call(&app, &district, Method::POST, &format!("{path}/receive"), None).await;
    assert_eq!(status, 403, "a district does not receive");

    let (_, seen) = call(&app, &city, Method::GET, &path, None).await;
    assert_eq!(seen["actions"], json!(["receive", "return"]));
    let (status, _) = call(
        &app,
        &city,
        Method::POST,
        &format!("{path}/return"),
        Some(json!({"reason": " "})),
    )
    .await;
    assert_eq!(status, 422, "a return needs its reason");
    let (status, returned) = call(
        &app,
        &city,
        Method::POST,
        &format!("{path}/return"),
        Some(json!({"reason": "请补充存在问题。"})),
    )
    .await;
    assert_eq!(status, 200, "{returned}");
    assert_eq!(returned["return_reason"], "请补充存在问题。");
    let (status, _) = call(
        &app,
        &district,
        Method::PUT,
        &path,
        Some(json!({ "text": format!("{text}\n四、存在问题\n个别公告张贴不及时。") })),
    )
    .await;
    assert_eq!(status, 200);
    let (_, again) = call(&app, &district, Method::POST, &submit, None).await;
    assert_eq!(
        again["versions"].as_array().unwrap().len(),
        2,
        "every version is kept"
    );
    let (status, received) = call(&app, &city, Method::POST, &format!("{path}/receive"), None).await;
    assert_eq!(status, 200, "{received}");
    assert_eq!(received["status"], "received");
    let (status, _) = call(
        &app,
        &city,
        Method::POST,
        &format!("{path}/return"),
        Some(json!({"reason": "x"})),
    )
    .await;
    assert_eq!(status, 409, "a received summary is not returned");

    // Unknown districts and years.
    for (bad, expected) in [
        ("/api/v1/annual-summaries/440199/2025", 404),
        ("/api/v1/annual-summaries/abc/2025", 404),
        ("/api/v1/annual-summaries/440104001/2025", 404),
        ("/api/v1/annual-summaries/440100/2025", 404),
        ("/api/v1/annual-summaries/440104/2018", 422),
        ("/api/v1/annual-summaries/440104/twenty", 422),
    ] {
        let (status, body) = call(&app, &city, Method::GET, bad, None).await;
        assert_eq!(status, expected, "{bad}: {body}");
    }
    let (status, _) = call(&app, &other, Method::GET, &path, None).await;
    assert_eq!(status, 403);
}

async fn the_figures_come_from_the_records_and_reach_the_document(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let (_, summary) = call(
        &app,
        &city,
        Method::GET,
        &format!("/api/v1/annual-summaries/{YUEXIU}/2026"),
        None,
    )
    .await;
    let figures = &summary["figures"];
    // The same year as the rooms, the case list and the duty list count it.
    assert!(
        !figures["members_below_minimum"].as_array().unwrap().is_empty(),
        "{figures}"
    );
    let (_, rooms) = call(&app, &city, Method::GET, "/api/v1/rooms", None).await;
    let open_in_yuexiu = rooms
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["district"] == "越秀区" && r["open"] == true)
        .count();
    assert_eq!(
        usize::try_from(figures["rooms_total"].as_u64().unwrap()).unwrap(),
        open_in_yuexiu,
        "{rooms}"
    );
    let district = app.token("demo-district").await;
    let (_, cases) = common::case_list(&app, &district).await;
    let this_year = cases
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["received_at"].as_str().unwrap().starts_with("2026"))
        .count();
    assert_eq!(
        usize::try_from(figures["opinions_total"].as_u64().unwrap()).unwrap(),
        this_year
    );
    assert!(figures["activities_total"].as_u64().unwrap() > 0);
    assert!(figures["sessions_held"].as_u64().unwrap() > 0);

    // The document carries the same figures (the submitted version's).
    let response = app
        .with_token(
            Method::GET,
            &format!("/api/v1/annual-summaries/{YUEXIU}/2026.docx"),
            &city,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("annual-summary-440104-2026.docx")
    );
    let text = docx_text(&response.bytes().await.unwrap());
    assert!(text.contains("越秀区2026年度政协委员进社区工作总结"), "the title");
    for expected in [
        format!("共有委员工作室（联络站）{} 个", figures["rooms_total"]),
        format!("全年开展委员进社区活动 {} 场", figures["activities_total"]),
        format!("全年收集群众意见 {} 件", figures["opinions_total"]),
        format!("全年举行委员接待日 {} 场", figures["sessions_held"]),
        "四、存在问题".to_owned(),
    ] {
        assert!(text.contains(&expected), "{expected} not in the document");
    }
    // Pages: the city's overview and the summary, and the district's own page with its forms.
    let (page, _) = app.page_session("demo-city").await;
    let html = common::get_text(&page, &app.url("/admin/annual-summaries?year=2026")).await;
    assert!(
        html.contains("越秀区") && html.contains("已报送") && html.contains("还有 20 天"),
        "{html}"
    );
    let html = common::get_text(&page, &app.url(&format!("/admin/annual-summaries/{YUEXIU}/2026"))).await;
    assert!(html.contains("value=\"receive\"") && html.contains("value=\"return\""));
    let (district_page, csrf) = app.page_session("demo-district").await;
    let response = district_page
        .post(app.url(&format!("/admin/annual-summaries/{YUEXIU}/2025")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("step", "submit"),
            ("text", domain::annual::TEXT_OUTLINE),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422, "the outline alone is empty");
    let html = response.text().await.unwrap();
    assert!(html.contains("总结正文还是空的"), "{html}");
    let response = district_page
        .post(app.url(&format!("/admin/annual-summaries/{YUEXIU}/2025")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("step", "submit"),
            ("text", "二、主要工作\n接待群众 12 场。"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let (_, submitted) = call(
        &app,
        &city,
        Method::GET,
        &format!("/api/v1/annual-summaries/{YUEXIU}/2025"),
        None,
    )
    .await;
    assert_eq!(submitted["status"], "submitted");
}

async fn the_command_line_writes_the_summary(db: TestDatabase) {
    let url = db.url_string();
    // The server loads the demo (and keeps the test database alive) while the command reads it.
    let _app = TestApp::spawn_demo(db).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("越秀.docx");
    let output = workroom(
        dir.path(),
        &[
            "report",
            "annual",
            "--district",
            "越秀区",
            "--year",
            "2026",
            "--out",
            out.to_str().unwrap(),
            "--database",
            &url,
        ],
    );
    assert!(output.status.success(), "{}", common::stderr(&output));
    let text = docx_text(&std::fs::read(&out).unwrap());
    assert!(text.contains("越秀区2026年度政协委员进社区工作总结"));
    let unknown = workroom(
        dir.path(),
        &[
            "report",
            "annual",
            "--district",
            "东山区",
            "--year",
            "2026",
            "--out",
            "x.docx",
            "--database",
            &url,
        ],
    );
    assert!(!unknown.status.success());
    assert!(common::one_line_failure(&unknown).contains("东山区"));
    let again = workroom(
        dir.path(),
        &[
            "report",
            "annual",
            "--district",
            "越秀",
            "--year",
            "2026",
            "--out",
            out.to_str().unwrap(),
            "--database",
            &url,
        ],
    );
    assert!(common::one_line_failure(&again).contains("已存在"));
}

on_both_databases!(
    the_city_sees_every_district_with_its_status_and_lateness,
    a_district_writes_submits_and_resubmits_after_a_return,
    the_figures_come_from_the_records_and_reach_the_document,
    the_command_line_writes_the_summary,
);
