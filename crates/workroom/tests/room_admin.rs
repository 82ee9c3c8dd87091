//! Opening, changing and closing work rooms (R6) on both databases: the city anywhere, district staff
//! in their district; a closed room leaves the public lists.

mod common;

use common::{TestApp, get_text};
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

async fn call(app: &TestApp, token: &str, method: Method, path: &str, body: Value) -> (u16, Value) {
    let response = app
        .with_token(method, path, token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn rooms_are_opened_changed_and_closed_within_scope(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let district = app.token("demo-district").await;
    let other = app.token("demo-other-district").await;
    let street = app.token("demo-street").await;
    let new = json!({
        "name": "北京街政协委员工作室", "kind": "fixed", "division_code": "440104003",
        "address": "北京街道党群服务中心", "receives_monthly": true
    });
    assert_eq!(
        call(&app, &other, Method::POST, "/api/v1/rooms", new.clone())
            .await
            .0,
        403
    );
    assert_eq!(
        call(&app, &street, Method::POST, "/api/v1/rooms", new.clone())
            .await
            .0,
        403
    );
    let (status, room) = call(&app, &district, Method::POST, "/api/v1/rooms", new.clone()).await;
    assert_eq!(status, 201, "{room}");
    assert_eq!(
        (room["district"].as_str(), room["street"].as_str()),
        (Some("越秀区"), Some("北京街道"))
    );
    assert_eq!(room["receives_monthly"], true);
    assert_eq!(
        call(&app, &district, Method::POST, "/api/v1/rooms", new.clone())
            .await
            .0,
        409
    );
    for (bad, status) in [
        (
            json!({ "name": "x", "kind": "fixed", "division_code": "440104003", "address": "a" }),
            422,
        ),
        (
            json!({ "name": "某工作室", "kind": "tent", "division_code": "440104003", "address": "a" }),
            422,
        ),
        (
            json!({ "name": "某工作室", "kind": "fixed", "division_code": "440104", "address": "a" }),
            422,
        ),
        (
            json!({ "name": "某工作室", "kind": "fixed", "division_code": "440104999", "address": "a" }),
            422,
        ),
        (
            json!({ "name": "某工作室", "kind": "fixed", "division_code": "440104003", "address": " " }),
            422,
        ),
        (
            json!({ "name": "某工作室", "kind": "fixed", "division_code": "440105001", "address": "a" }),
            403,
        ),
    ] {
        let (got, body) = call(&app, &district, Method::POST, "/api/v1/rooms", bad.clone()).await;
        assert_eq!(got, status, "{bad}: {body}");
    }
    let id = room["id"].as_i64().unwrap();
    let (_, public) = app.get_json(&format!("/api/v1/public/rooms/{id}")).await;
    assert_eq!(public["name"], "北京街政协委员工作室");
    // A new room's reception days follow the calendar at once: monthly.
    assert_eq!(
        app.get_json(&format!("/api/v1/rooms/{id}/reception-days?year=2026"))
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        12
    );

    // Changed, closed (gone from the public), reopened; the other district cannot touch it.
    let path = format!("/api/v1/rooms/{id}");
    assert_eq!(
        call(&app, &other, Method::PATCH, &path, json!({ "open": false }))
            .await
            .0,
        403
    );
    let (status, changed) = call(
        &app,
        &district,
        Method::PATCH,
        &path,
        json!({ "address": "北京街道综合服务中心", "open": false }),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["open"], false);
    assert_eq!(app.get_json(&format!("/api/v1/public/rooms/{id}")).await.0, 404);
    let (_, listed) = app.get_json("/api/v1/public/rooms").await;
    assert!(!listed.to_string().contains("北京街政协委员工作室"));
    assert_eq!(
        call(&app, &district, Method::PATCH, &path, json!({ "open": true }))
            .await
            .0,
        200
    );
    assert_eq!(app.get_json(&format!("/api/v1/public/rooms/{id}")).await.0, 200);
    assert_eq!(
        call(
            &app,
            &district,
            Method::PATCH,
            &path,
            json!({ "name": "洪桥街政协委员工作室" })
        )
        .await
        .0,
        409
    );
    assert_eq!(
        call(&app, &district, Method::PATCH, &path, json!({ "name": "" }))
            .await
            .0,
        422
    );
    assert_eq!(
        call(&app, &district, Method::PATCH, "/api/v1/rooms/999999", json!({}))
            .await
            .0,
        403
    );
    assert_eq!(
        call(&app, &city, Method::PATCH, "/api/v1/rooms/999999", json!({}))
            .await
            .0,
        404
    );
}

async fn the_rooms_page_opens_and_edits_rooms(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (client, csrf) = app.page_session("demo-district").await;
    let page = get_text(&client, &app.url("/admin/rooms")).await;
    assert!(page.contains("本范围的工作室（3 个）"), "{page}");
    let response = client
        .post(app.url("/admin/rooms"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "<script>alert(1)</script>工作室"),
            ("kind", "mobile"),
            ("division_code", "440104003"),
            ("address", "北京街道各社区"),
            ("opening_notes", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("本范围的工作室（4 个）"));
    assert!(!html.contains("<script>alert(1)"));
    let response = client
        .post(app.url("/admin/rooms"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", ""),
            ("kind", "fixed"),
            ("division_code", "440104003"),
            ("address", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("名称不能为空"));
    let response = client
        .post(app.url("/admin/rooms/1"))
        .form(&[("name", "改名"), ("address", "x"), ("status", "open")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403, "no token, no change");
    let response = client
        .post(app.url("/admin/rooms/1"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "洪桥街政协委员工作室"),
            ("address", "洪桥街道党群服务中心三楼"),
            ("opening_notes", "工作日开放"),
            ("receives_monthly", "on"),
            ("status", "open"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let (_, room) = app.get_json("/api/v1/public/rooms/1").await;
    assert_eq!(room["address"], "洪桥街道党群服务中心三楼");
    assert_eq!(
        room["reception_schedule"].as_array().unwrap().len(),
        12,
        "now monthly"
    );
}

async fn mobile_rooms_go_round_their_places(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let district = app.token("demo-district").await;
    let haizhu = app.token("demo-other-district").await;
    // Room 4 is 海珠区流动委员工作室.
    let places = json!({ "places": ["赤岗街道党群服务中心", " ", "聚德社区居委会", "客村社区居委会"] });
    assert_eq!(
        call(
            &app,
            &district,
            Method::PUT,
            "/api/v1/rooms/4/places",
            places.clone()
        )
        .await
        .0,
        403
    );
    let (status, saved) = call(
        &app,
        &haizhu,
        Method::PUT,
        "/api/v1/rooms/4/places",
        places.clone(),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(
        saved["places"].as_array().unwrap().len(),
        3,
        "blank lines dropped"
    );
    let (status, body) = call(&app, &district, Method::PUT, "/api/v1/rooms/1/places", places).await;
    assert_eq!(status, 422, "a fixed room has its address: {body}");

    let (status, _) = call(
        &app,
        &city,
        Method::POST,
        "/api/v1/rooms/4/sessions/generate?year=2027",
        json!(null),
    )
    .await;
    assert_eq!(status, 200);
    let (_, sessions) = call(
        &app,
        &city,
        Method::GET,
        "/api/v1/rooms/4/sessions?year=2027",
        json!(null),
    )
    .await;
    let rotation: Vec<&str> = sessions
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["place"].as_str().unwrap())
        .collect();
    assert_eq!(
        rotation,
        [
            "赤岗街道党群服务中心",
            "聚德社区居委会",
            "客村社区居委会",
            "赤岗街道党群服务中心",
            "聚德社区居委会",
            "客村社区居委会"
        ]
    );
    let (_, public) = app.get_json("/api/v1/public/rooms/4").await;
    assert_eq!(public["places"].as_array().unwrap().len(), 3);
    let page = get_text(&app.client, &app.url("/rooms/4")).await;
    assert!(page.contains("流动接待地点") && page.contains("<li>聚德社区居委会</li>"));

    let (client, csrf) = app.page_session("demo-other-district").await;
    let response = client
        .post(app.url("/admin/rooms/4/places"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("places", "赤岗街道党群服务中心\r\n聚德社区居委会\r\n"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("已保存 2 个流动接待地点"));
}

on_both_databases!(
    rooms_are_opened_changed_and_closed_within_scope,
    the_rooms_page_opens_and_edits_rooms,
    mobile_rooms_go_round_their_places
);
