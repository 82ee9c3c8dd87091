//! Public disclosure of work rooms (R8) on both databases: the list and each room for anyone, with
//! members' name, employer and position and never a phone number; the printable poster with its QR
//! code; hostile text shown as text.

mod common;

use common::{TestApp, new_client};
use reqwest::Method;
use serde_json::Value;
use store::on_both_databases;
use store::test_support::TestDatabase;

async fn room_id(app: &TestApp, name: &str) -> i64 {
    let rooms: Value = app.get_json("/api/v1/public/rooms").await.1;
    rooms
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn anyone_reads_the_rooms_and_their_members_without_phone_numbers(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (status, rooms) = app.get_json("/api/v1/public/rooms").await;
    assert_eq!(status, 200);
    let rooms = rooms.as_array().unwrap();
    assert_eq!(rooms.len(), 6);
    for kind in ["fixed", "mobile", "online"] {
        assert!(rooms.iter().any(|r| r["kind"] == kind), "a {kind} room");
    }
    let id = room_id(&app, "洪桥街政协委员工作室").await;
    let (status, room) = app.get_json(&format!("/api/v1/public/rooms/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(room["district"], "越秀区");
    assert_eq!(room["street"], "洪桥街道");
    let members = room["members"].as_array().unwrap();
    assert_eq!(members.len(), 7);
    assert_eq!(members[0]["level"], "national", "national members first");
    let huang = members.iter().find(|m| m["name"] == "黄志坚").unwrap();
    assert_eq!(huang["employer"], "广州某控股集团");
    assert_eq!(huang["position"], "董事长");
    assert_eq!(
        room["reception_schedule"].as_array().unwrap().len(),
        6,
        "this year's reception days"
    );
    let text = room.to_string();
    assert!(
        !text.contains("mobile") && !text.contains("phone\""),
        "no phone field: {text}"
    );

    let (status, body) = app.get_json("/api/v1/public/rooms/999999").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
    let (status, _) = app.get_json("/api/v1/public/rooms/abc").await;
    assert_eq!(status, 400);
}

async fn room_pages_and_posters_need_no_sign_in(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let id = room_id(&app, "洪桥街政协委员工作室").await;
    let list = app.get("/rooms").await.text().await.unwrap();
    assert!(list.contains("越秀区") && list.contains("从化区流动委员工作室"));
    let page = app.get(&format!("/rooms/{id}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("黄志坚") && html.contains("广州某控股集团"));
    assert!(!html.contains("<script"), "no JavaScript");
    let poster = app.get(&format!("/rooms/{id}/poster")).await;
    assert_eq!(poster.status(), 200);
    let html = poster.text().await.unwrap();
    assert!(html.contains("<svg role=\"img\""), "a QR code");
    assert!(
        html.contains(&format!("{}/rooms/{id}", app.base)),
        "pointing at the room's page"
    );
    assert!(html.contains("@page") || html.contains("poster.css"));
    let community = app.get("/divisions/440104001007").await.text().await.unwrap();
    assert!(community.contains("为这里服务的委员工作室") && community.contains(&format!("/rooms/{id}\"")));
    assert_eq!(app.get("/rooms/999999").await.status(), 404);
    assert_eq!(app.get("/rooms/abc").await.status(), 404);
}

async fn hostile_names_are_shown_as_text(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let district = app.token("demo-district").await;
    let rows = vec![vec![
        "<script>alert(1)</script>".to_owned(),
        "区".to_owned(),
        "越秀区".to_owned(),
        String::new(),
        String::new(),
        "=HYPERLINK(\"http://x\")".to_owned(),
        String::new(),
        String::new(),
        "洪桥街政协委员工作室".to_owned(),
    ]];
    let headers = [
        "姓名",
        "委员层级",
        "所属区",
        "界别",
        "住港澳",
        "工作单位",
        "职务",
        "手机号码",
        "工作室",
    ];
    let file = documents::xlsx::write_sheet("委员名册", &headers, &rows).unwrap();
    let imported = app
        .with_token(Method::POST, "/api/v1/members/import", &district)
        .body(file)
        .send()
        .await
        .unwrap();
    assert_eq!(imported.status(), 200);
    let id = room_id(&app, "洪桥街政协委员工作室").await;
    for path in [format!("/rooms/{id}"), format!("/rooms/{id}/poster")] {
        let html = new_client()
            .get(app.url(&path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!html.contains("<script>alert(1)</script>"), "{path}");
        assert!(
            html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"),
            "{path}"
        );
    }
}

on_both_databases!(
    anyone_reads_the_rooms_and_their_members_without_phone_numbers,
    room_pages_and_posters_need_no_sign_in,
    hostile_names_are_shown_as_text,
);
