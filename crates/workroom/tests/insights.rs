//! Concentrated opinions (X6) on both databases: the demo's parking concern heard at 洪桥 and 华乐街 over
//! the year is one group for the district and the city (beside the elderly canteen), only 洪桥's part for its staff and member, nothing
//! for another district; departments are refused; no resident's details in a group; the draft
//! 社情民意信息 comes back as a Word document a reader opens, from the API and from the page.

mod common;

use common::{TestApp, call, get_text, hidden_value};
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

async fn groups(app: &TestApp, who: &str, query: &str) -> (u16, Value) {
    let token = app.token(who).await;
    call(
        app,
        &token,
        Method::GET,
        &format!("/api/v1/insights/clusters{query}"),
        None,
    )
    .await
}

fn docx_text(bytes: &[u8]) -> String {
    let docx = docx_rs::read_docx(bytes).expect("a Word document");
    docx.json()
}

async fn similar_opinions_are_grouped_in_each_callers_rooms(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (status, district) = groups(&app, "demo-district", "?year=2026").await;
    assert_eq!(status, 200, "{district}");
    let parking = &district[0];
    assert!(parking["size"].as_u64().unwrap() >= 5, "{district}");
    assert_eq!(
        parking["opinion_ids"].as_array().unwrap().len() as u64,
        parking["size"].as_u64().unwrap()
    );
    assert!(
        !parking["keywords"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k == "停车" || k.as_str().unwrap().contains("不足")),
        "the matter is not said twice, nor a complaint word: {parking}"
    );
    assert_eq!(
        parking["rooms"],
        json!(["华乐街政协委员工作室", "洪桥街政协委员工作室"])
    );
    assert_eq!(
        parking["first_received"], "2026-03-16",
        "the reception day of March"
    );
    let draft = &parking["draft"];
    assert!(draft["title"].as_str().unwrap().starts_with("关于群众集中反映"));
    assert!(
        draft["text"]
            .as_str()
            .unwrap()
            .starts_with("一、基本情况\n2026年3月至2026年11月")
    );
    assert_eq!(parking["matter"], "停车", "{parking}");
    // The district sees more than one matter: the elderly canteen, heard at 洪桥 in spring and at 华乐街
    // now, in other words each time.
    let matters: Vec<&str> = district
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["matter"].as_str().unwrap())
        .collect();
    assert!(matters.contains(&"长者饭堂和养老服务"), "{matters:?}");
    // The unrelated cases of today are not part of the parking group; no resident's details.
    let text = district.to_string();
    for private in ["演示来访人", "林先生", "13912345678", "三眼井社区\""] {
        assert!(!text.contains(private), "{private} in {text}");
    }
    let (_, city) = groups(&app, "demo-city", "").await;
    assert_eq!(
        city[0]["opinion_ids"], parking["opinion_ids"],
        "this year by default"
    );

    // The room's staff and its member: 洪桥's part only.
    for who in ["demo-staff", "demo-member", "demo-street"] {
        let (status, room) = groups(&app, who, "?year=2026").await;
        assert_eq!(status, 200, "{who}: {room}");
        assert_eq!(room[0]["rooms"], json!(["洪桥街政协委员工作室"]), "{who}");
        assert!(room[0]["size"].as_u64().unwrap() < parking["size"].as_u64().unwrap());
    }
    let (status, other) = groups(&app, "demo-other-district", "?year=2026").await;
    assert_eq!((status, other), (200, json!([])));
    let (status, earlier) = groups(&app, "demo-city", "?year=2025").await;
    assert_eq!((status, earlier), (200, json!([])));
    for who in ["demo-dept", "demo-petition"] {
        assert_eq!(groups(&app, who, "?year=2026").await.0, 403, "{who}");
    }
    for bad in ["?year=1999", "?year=abc", "?year=3000"] {
        let (status, err) = groups(&app, "demo-city", bad).await;
        assert!(status == 400 || status == 422, "{bad}: {status} {err}");
    }
    let (status, _) = app.get_json("/api/v1/insights/clusters").await;
    assert_eq!(status, 401);
}

async fn the_draft_downloads_as_a_word_document(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let member = app.token("demo-member").await;
    let response = app
        .with_token(Method::POST, "/api/v1/insights/social-report.docx", &member)
        .json(&json!({"title": "关于老旧小区停车难的建议", "text": "一、基本情况\n共 5 件。\n三、意见建议\n错时开放停车场。"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let text = docx_text(&response.bytes().await.unwrap());
    assert!(text.contains("关于老旧小区停车难的建议") && text.contains("错时开放停车场。"));
    for bad in [
        json!({"title": "", "text": "正文"}),
        json!({"title": "标题", "text": ""}),
        json!({"title": "标题\u{0007}", "text": "正文"}),
        json!({"title": "标题", "text": "x".repeat(5001)}),
        json!({"title": "标题"}),
    ] {
        let response = app
            .with_token(Method::POST, "/api/v1/insights/social-report.docx", &member)
            .json(&bad)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        assert!(status == 400 || status == 422, "{bad}: {status}");
    }
    let dept = app.token("demo-dept").await;
    let (status, _) = call(
        &app,
        &dept,
        Method::POST,
        "/api/v1/insights/social-report.docx",
        Some(json!({"title": "标题", "text": "正文"})),
    )
    .await;
    assert_eq!(status, 403);

    // On the page: the member reads the groups, edits the draft and downloads it.
    let (client, _) = app.page_session("demo-member").await;
    let page = get_text(&client, &app.url("/admin/insights")).await;
    assert!(
        page.contains("集中反映的意见") && page.contains("下载 Word 草稿"),
        "{page}"
    );
    assert!(
        !page.contains("/admin/opinions/"),
        "members read the words, not others' cases"
    );
    let csrf = hidden_value(&page, "csrf");
    let response = client
        .post(app.url("/admin/insights/social-report.docx"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("title", "关于停车难的社情民意信息"),
            ("text", "一、基本情况\n委员修改后的正文。"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = docx_text(&response.bytes().await.unwrap());
    assert!(text.contains("委员修改后的正文。"));
    let response = client
        .post(app.url("/admin/insights/social-report.docx"))
        .form(&[("csrf", csrf.as_str()), ("title", ""), ("text", "正文")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("标题"));
    let (client, _) = app.page_session("demo-street").await;
    let page = get_text(&client, &app.url("/admin/insights?year=2026")).await;
    assert!(
        page.contains("/admin/opinions/"),
        "staff open the cases behind a group"
    );
}

on_both_databases!(
    similar_opinions_are_grouped_in_each_callers_rooms,
    the_draft_downloads_as_a_word_document
);
