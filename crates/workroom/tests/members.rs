//! Members' records (R5) on both databases: lists in scope with masked mobile numbers, changes by those
//! who keep the roster, ceasing with a date (the member leaves the public pages).

mod common;

use common::{TestApp, call, get_text};
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

fn id_of(list: &Value, name: &str) -> i64 {
    list.as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("{name} in {list}"))["id"]
        .as_i64()
        .unwrap()
}

async fn members_are_kept_in_scope_and_cease_with_a_date(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let district = app.token("demo-district").await;
    let other = app.token("demo-other-district").await;
    let staff = app.token("demo-staff").await;
    let member = app.token("demo-member").await;

    let (status, list) = call(&app, &district, Method::GET, "/api/v1/members", None).await;
    assert_eq!(status, 200);
    assert!(
        list.as_array().unwrap().iter().all(|m| m["district"] == "越秀区"),
        "{list}"
    );
    let xie = list
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "谢永康")
        .unwrap();
    assert_eq!(xie["exempt"], true, "港澳界 and residing in HK/Macao");
    let lin = id_of(&list, "林晓华");
    let (_, staff_list) = call(&app, &staff, Method::GET, "/api/v1/members", None).await;
    assert_eq!(staff_list.as_array().unwrap().len(), 7, "洪桥's seven members");
    let (_, own) = call(&app, &member, Method::GET, "/api/v1/members", None).await;
    assert_eq!(own.as_array().unwrap().len(), 1);
    assert_eq!(own[0]["name"], "陈思远");

    let path = format!("/api/v1/members/{lin}");
    let (status, changed) = call(
        &app,
        &district,
        Method::PATCH,
        &path,
        Some(json!({ "mobile": "139-1234-5678", "position": "副校长" })),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["mobile"], "13912345678");
    // In lists and for those who do not keep the roster the number is masked.
    let (_, list) = call(&app, &district, Method::GET, "/api/v1/members", None).await;
    let listed = list.as_array().unwrap().iter().find(|m| m["id"] == lin).unwrap();
    assert_eq!(listed["mobile"], "139****5678");
    let (status, seen) = call(&app, &staff, Method::GET, &path, None).await;
    assert_eq!((status, seen["mobile"].as_str()), (200, Some("139****5678")));
    assert_eq!(call(&app, &other, Method::GET, &path, None).await.0, 403);
    assert_eq!(
        call(
            &app,
            &other,
            Method::PATCH,
            &path,
            Some(json!({ "position": "x" }))
        )
        .await
        .0,
        403
    );
    assert_eq!(
        call(
            &app,
            &staff,
            Method::PATCH,
            &path,
            Some(json!({ "position": "x" }))
        )
        .await
        .0,
        403
    );
    // The public page shows the new position, never the number.
    let room = get_text(&app.client, &app.url("/rooms/1")).await;
    assert!(room.contains("越秀区某中学 副校长"));
    assert!(!room.contains("5678"));

    for (bad, field) in [
        (json!({ "mobile": "12345" }), "手机号码"),
        (json!({ "status": "retired" }), "serving"),
        (
            json!({ "status": "ceased", "ceased_on": "2027-01-01" }),
            "不能晚于今天",
        ),
        (json!({ "employer": "a\u{0007}b" }), "控制字符"),
    ] {
        let (status, body) = call(&app, &district, Method::PATCH, &path, Some(bad.clone())).await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert!(
            body["error"]["message"].as_str().unwrap().contains(field),
            "{bad}: {body}"
        );
    }

    // Ceasing keeps the record with its date and takes the member off the public pages.
    let (status, ceased) = call(
        &app,
        &district,
        Method::PATCH,
        &path,
        Some(json!({ "status": "ceased", "ceased_on": "2026-11-01" })),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        (ceased["status"].as_str(), ceased["ceased_on"].as_str()),
        (Some("ceased"), Some("2026-11-01"))
    );
    let (_, public) = app.get_json("/api/v1/public/rooms/1").await;
    assert_eq!(public["members"].as_array().unwrap().len(), 6);
    let (_, again) = call(
        &app,
        &district,
        Method::PATCH,
        &path,
        Some(json!({ "status": "serving" })),
    )
    .await;
    assert_eq!(again["status"], "serving");
    assert_eq!(
        call(&app, &district, Method::GET, "/api/v1/members/999999", None)
            .await
            .0,
        403
    );
    let city = app.token("demo-city").await;
    assert_eq!(
        call(&app, &city, Method::GET, "/api/v1/members/999999", None)
            .await
            .0,
        404
    );
}

async fn the_member_pages_show_and_save_records(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (client, csrf) = app.page_session("demo-district").await;
    let list = get_text(&client, &app.url("/admin/members")).await;
    assert!(list.contains("委员名单"));
    let id: i64 = list
        .split("/admin/members/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .parse()
        .unwrap();
    let response = client
        .post(app.url(&format!("/admin/members/{id}")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("sector", "经济界"),
            ("employer", "=HYPERLINK(\"http://x\",\"y\")"),
            ("position", "<b>行长</b>"),
            ("mobile", "13800138000"),
            ("status", "serving"),
            ("ceased_on", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("已保存"));
    assert!(!html.contains("<b>行长</b>"), "shown as text");
    let response = client
        .post(app.url(&format!("/admin/members/{id}")))
        .form(&[("csrf", csrf.as_str()), ("mobile", "123"), ("status", "serving")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("手机号码应为 11 位"));
    // The roster template and import pages still answer beside /admin/members/{id}.
    assert_eq!(
        client
            .get(app.url("/admin/members/import"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let (street, _) = app.page_session("demo-street").await;
    let page = get_text(&street, &app.url(&format!("/admin/members/{id}"))).await;
    assert!(
        !page.contains("name=\"mobile\""),
        "a street lead sees the record without the form"
    );
}

on_both_databases!(
    members_are_kept_in_scope_and_cease_with_a_date,
    the_member_pages_show_and_save_records
);
