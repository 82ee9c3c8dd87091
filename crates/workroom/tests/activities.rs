//! Community activities (R10), the yearly duty (R5) and points (R14) on both databases: staff record
//! activities, members report their own for the staff to confirm, held reception sessions count without
//! retyping, retries with a client key record nothing new, bad input leaves nothing behind, and the duty
//! list, a member's year and the score sheet agree.

mod common;

use common::{TestApp, call, get_text, hidden_value};
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

const HONGQIAO: i64 = 1;
const HAIZHU_MOBILE: i64 = 4;

/// The ids of the members `username` sees: for demo-staff those serving in 洪桥, for
/// demo-other-district those of 海珠区.
async fn member_ids(app: &TestApp, username: &str) -> Vec<i64> {
    let token = app.token(username).await;
    let (_, body) = call(app, &token, Method::GET, "/api/v1/members", None).await;
    body.as_array()
        .unwrap()
        .iter()
        .filter(|m| m["status"] == "serving")
        .map(|m| m["id"].as_i64().unwrap())
        .collect()
}

/// Each member's (activity_count, points) of 2026 as `token` sees the list.
async fn counts(app: &TestApp, token: &str) -> std::collections::HashMap<i64, (i64, i64)> {
    let (status, list) = call(app, token, Method::GET, "/api/v1/members?year=2026", None).await;
    assert_eq!(status, 200, "{list}");
    list.as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["id"].as_i64().unwrap(),
                (
                    m["activity_count"].as_i64().unwrap(),
                    m["points"].as_i64().unwrap(),
                ),
            )
        })
        .collect()
}

async fn activity_count(app: &TestApp, token: &str) -> usize {
    let (_, list) = call(app, token, Method::GET, "/api/v1/activities?year=2026", None).await;
    list.as_array().unwrap().len()
}

async fn staff_record_activities_once_and_bad_input_leaves_nothing(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let members = member_ids(&app, "demo-staff").await;
    let before = counts(&app, &staff).await;
    let total_before = activity_count(&app, &staff).await;

    let body = json!({
        "room_id": HONGQIAO,
        "kind": "grassroots_research",
        "date": "2026-11-27",
        "starts_at": "14:30",
        "ends_at": "16:30",
        "member_ids": [members[0], members[1]],
        "summary": "走访三眼井社区，了解<script>alert(1)</script>加装电梯意见。\n共收集意见 8 条。",
        "residents_reached": 18,
        "client_key": "retry-key-0001",
    });
    let (status, created) = call(
        &app,
        &staff,
        Method::POST,
        "/api/v1/activities",
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["status"], "confirmed");
    assert_eq!(created["kind_label"], "基层调研");
    assert_eq!(
        created["place"], "洪桥街道党群服务中心二楼",
        "the room's address by default"
    );
    assert_eq!(created["members"].as_array().unwrap().len(), 2);
    let id = created["id"].as_i64().unwrap();

    // The same submission again (a retry on a bad network) finds the first.
    let response = app
        .with_token(Method::POST, "/api/v1/activities", &staff)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["idempotent-replayed"], "true");
    let again: Value = response.json().await.unwrap();
    assert_eq!(again["id"].as_i64(), Some(id));
    // The same key for something else is refused.
    let mut other = body.clone();
    other["summary"] = json!("另一次活动");
    let (status, err) = call(&app, &staff, Method::POST, "/api/v1/activities", Some(other)).await;
    assert_eq!(status, 409, "{err}");

    let after = counts(&app, &staff).await;
    for member in [members[0], members[1]] {
        assert_eq!(after[&member].0, before[&member].0 + 1, "counted once");
    }
    assert_eq!(activity_count(&app, &staff).await, total_before + 1);

    // Bad input: each a clear 4xx, and nothing stored.
    let haizhu_member = member_ids(&app, "demo-other-district").await[0];
    let cases = [
        (json!({"date": "2026-12-01"}), 422, "晚于今天"),
        (json!({"date": "2019-01-01"}), 422, "施行日"),
        (json!({"kind": "party"}), 422, "活动类型"),
        (json!({"kind": "local"}), 422, "local_kind"),
        (
            json!({"kind": "local", "local_kind": "不存在的类型"}),
            422,
            "特色活动",
        ),
        (json!({"local_kind": "“有事好商量”协商议事"}), 422, "local"),
        (json!({"member_ids": []}), 422, "至少"),
        (json!({"member_ids": [haizhu_member]}), 422, "不在本工作室"),
        (json!({"summary": "  "}), 422, "不能为空"),
        (json!({"summary": "\u{0007}响铃"}), 422, "控制字符"),
        (json!({"summary": "长".repeat(2001)}), 422, "过长"),
        (json!({"ends_at": null}), 422, "都填"),
        (json!({"starts_at": "17:00", "ends_at": "16:00"}), 422, ""),
        (json!({"residents_reached": -1}), 422, "人数"),
        (json!({"client_key": "bad key!"}), 422, "提交编号"),
        (json!({"room_id": HAIZHU_MOBILE}), 403, ""),
        (json!({"room_id": 999_999}), 403, ""),
    ];
    for (change, expected, words) in cases {
        let mut bad = body.clone();
        bad["client_key"] = Value::Null;
        for (key, value) in change.as_object().unwrap() {
            bad[key] = value.clone();
        }
        let (status, err) = call(
            &app,
            &staff,
            Method::POST,
            "/api/v1/activities",
            Some(bad.clone()),
        )
        .await;
        assert_eq!(status, expected, "{bad} → {err}");
        let message = err["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(words), "{message} should say {words}");
    }
    let (status, _) = call(
        &app,
        &staff,
        Method::POST,
        "/api/v1/activities",
        Some(json!({"room_id": HONGQIAO, "kind": "policy_promotion"})),
    )
    .await;
    assert!(status == 400 || status == 422, "missing fields: {status}");
    assert_eq!(
        activity_count(&app, &staff).await,
        total_before + 1,
        "nothing half-written"
    );

    // The district's own kind is accepted by name.
    let district = app.token("demo-district").await;
    let mut local = body.clone();
    local["kind"] = json!("local");
    local["local_kind"] = json!("“有事好商量”协商议事");
    local["client_key"] = Value::Null;
    let (status, made) = call(&app, &district, Method::POST, "/api/v1/activities", Some(local)).await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["kind_label"], "“有事好商量”协商议事");
    // Another district's staff cannot record in 越秀.
    let other_district = app.token("demo-other-district").await;
    let (status, _) = call(
        &app,
        &other_district,
        Method::POST,
        "/api/v1/activities",
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 403);

    // The activity's page shows the summary as text, never as markup.
    let (client, _) = app.page_session("demo-staff").await;
    let html = get_text(&client, &app.url("/admin/activities")).await;
    assert!(html.contains("&#60;script&#62;alert(1)"), "escaped: {html}");
    assert!(!html.contains("<script>alert(1)"));
}

async fn held_sessions_are_reception_day_activities_without_retyping(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let (_, sessions) = call(
        &app,
        &staff,
        Method::GET,
        &format!("/api/v1/rooms/{HONGQIAO}/sessions?year=2026"),
        None,
    )
    .await;
    let held = sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == "held" && !s["members"].as_array().unwrap().is_empty())
        .unwrap()
        .clone();
    let session_id = held["id"].as_i64().unwrap();
    let on_duty: Vec<i64> = held["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    let reception = |list: &Value| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|a| a["session_id"].as_i64() == Some(session_id))
            .cloned()
    };
    let (_, list) = call(&app, &staff, Method::GET, "/api/v1/activities?year=2026", None).await;
    let activity = reception(&list).expect("the held session is an activity");
    assert_eq!(activity["kind"], "reception_day");
    assert_eq!(activity["date"], held["date"]);
    assert_eq!(activity["members"].as_array().unwrap().len(), on_duty.len());

    // Recording the same reception day by hand is refused.
    let (status, err) = call(
        &app,
        &staff,
        Method::POST,
        "/api/v1/activities",
        Some(json!({
            "room_id": HONGQIAO, "kind": "reception_day", "date": held["date"],
            "member_ids": on_duty, "summary": "接待日",
        })),
    )
    .await;
    assert_eq!(status, 409, "{err}");

    let before = counts(&app, &staff).await;
    // Marked cancelled (a correction): the activity goes, and the members' counts with it.
    let (status, body) = call(
        &app,
        &staff,
        Method::PATCH,
        &format!("/api/v1/sessions/{session_id}"),
        Some(json!({"status": "cancelled", "reason": "当日因台风停止接待，更正记录"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, list) = call(&app, &staff, Method::GET, "/api/v1/activities?year=2026", None).await;
    assert!(reception(&list).is_none());
    let after = counts(&app, &staff).await;
    for member in &on_duty {
        assert_eq!(after[member].0, before[member].0 - 1);
    }
    // Held again: back, once.
    let (status, _) = call(
        &app,
        &staff,
        Method::PATCH,
        &format!("/api/v1/sessions/{session_id}"),
        Some(json!({"status": "held", "reason": "核实后当日正常接待"})),
    )
    .await;
    assert_eq!(status, 200);
    let (_, list) = call(&app, &staff, Method::GET, "/api/v1/activities?year=2026", None).await;
    assert!(reception(&list).is_some());
    assert_eq!(counts(&app, &staff).await, before);

    // Recorded by hand while the session said cancelled, then the session marked held: one activity.
    let (status, _) = call(
        &app,
        &staff,
        Method::PATCH,
        &format!("/api/v1/sessions/{session_id}"),
        Some(json!({"status": "cancelled", "reason": "再次更正"})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, manual) = call(
        &app,
        &staff,
        Method::POST,
        "/api/v1/activities",
        Some(json!({
            "room_id": HONGQIAO, "kind": "reception_day", "date": held["date"],
            "member_ids": on_duty, "summary": "手工登记的接待日",
        })),
    )
    .await;
    assert_eq!(status, 201, "{manual}");
    let (status, _) = call(
        &app,
        &staff,
        Method::PATCH,
        &format!("/api/v1/sessions/{session_id}"),
        Some(json!({"status": "held", "reason": "再次核实当日正常接待"})),
    )
    .await;
    assert_eq!(status, 200);
    let (_, list) = call(&app, &staff, Method::GET, "/api/v1/activities?year=2026", None).await;
    let attached = reception(&list).expect("the session's activity");
    assert_eq!(
        attached["id"], manual["id"],
        "the hand-recorded one became the session's"
    );
    assert_eq!(attached["summary"], "手工登记的接待日");
    assert_eq!(counts(&app, &staff).await, before, "counted once");
}

async fn members_report_their_own_activity_for_the_staff_to_confirm(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let member = app.token("demo-member").await;
    let staff = app.token("demo-staff").await;
    let (_, me) = call(&app, &member, Method::GET, "/api/v1/members", None).await;
    let me = me.as_array().unwrap();
    assert_eq!(me.len(), 1, "a member sees self only");
    let my_id = me[0]["id"].as_i64().unwrap();
    assert_eq!(me[0]["level"], "city");
    let year_path = format!("/api/v1/members/{my_id}/activities?year=2026");
    let (_, year) = call(&app, &member, Method::GET, &year_path, None).await;
    let count = year["activity_count"].as_i64().unwrap();
    assert_eq!(
        year["points"].as_i64().unwrap(),
        count * 10,
        "city members earn 10 per activity"
    );
    for activity in year["activities"].as_array().unwrap() {
        assert_eq!(activity["points"], 10, "each point has its activity");
    }

    let report = json!({
        "room_id": HONGQIAO, "kind": "legal_info_consultation", "date": "2026-11-28",
        "member_ids": [my_id], "summary": "在社区开展法律咨询。",
    });
    let (status, pending) = call(
        &app,
        &member,
        Method::POST,
        "/api/v1/activities",
        Some(report.clone()),
    )
    .await;
    assert_eq!(status, 201, "{pending}");
    assert_eq!(pending["status"], "pending");
    let id = pending["id"].as_i64().unwrap();
    let (_, year) = call(&app, &member, Method::GET, &year_path, None).await;
    assert_eq!(
        year["activity_count"].as_i64(),
        Some(count),
        "not counted before confirmation"
    );

    // A member reports only own participation, and only in a room they serve in.
    let others = member_ids(&app, "demo-staff").await;
    let other = *others.iter().find(|id| **id != my_id).unwrap();
    let mut for_other = report.clone();
    for_other["member_ids"] = json!([my_id, other]);
    let (status, _) = call(&app, &member, Method::POST, "/api/v1/activities", Some(for_other)).await;
    assert_eq!(status, 422);
    let mut elsewhere = report.clone();
    elsewhere["room_id"] = json!(HAIZHU_MOBILE);
    let (status, _) = call(&app, &member, Method::POST, "/api/v1/activities", Some(elsewhere)).await;
    assert_eq!(status, 403);
    // Nor confirms it.
    let confirm = format!("/api/v1/activities/{id}/confirm");
    let (status, _) = call(&app, &member, Method::POST, &confirm, None).await;
    assert_eq!(status, 403);
    let other_district = app.token("demo-other-district").await;
    let (status, _) = call(&app, &other_district, Method::POST, &confirm, None).await;
    assert_eq!(status, 403);

    let (status, confirmed) = call(&app, &staff, Method::POST, &confirm, None).await;
    assert_eq!(status, 200, "{confirmed}");
    assert_eq!(confirmed["status"], "confirmed");
    let (status, _) = call(&app, &staff, Method::POST, &confirm, None).await;
    assert_eq!(status, 409, "once");
    let (_, year) = call(&app, &member, Method::GET, &year_path, None).await;
    assert_eq!(year["activity_count"].as_i64(), Some(count + 1));
    assert_eq!(year["points"].as_i64(), Some((count + 1) * 10));

    // The demo's own pending report is returned with a reason the member reads.
    let (_, waiting) = call(
        &app,
        &staff,
        Method::GET,
        "/api/v1/activities?year=2026&status=pending",
        None,
    )
    .await;
    let demo_report = waiting.as_array().unwrap()[0]["id"].as_i64().unwrap();
    let (status, _) = call(
        &app,
        &staff,
        Method::POST,
        &format!("/api/v1/activities/{demo_report}/return"),
        Some(json!({"reason": ""})),
    )
    .await;
    assert_eq!(status, 422, "a reason is required");
    let (status, returned) = call(
        &app,
        &staff,
        Method::POST,
        &format!("/api/v1/activities/{demo_report}/return"),
        Some(json!({"reason": "请补充活动照片或签到表"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(returned["status"], "returned");
    let (status, seen) = call(
        &app,
        &member,
        Method::GET,
        &format!("/api/v1/activities/{demo_report}"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(seen["return_reason"], "请补充活动照片或签到表");
    // Another member's year is not the member's to read.
    let (status, _) = call(
        &app,
        &member,
        Method::GET,
        &format!("/api/v1/members/{other}/activities?year=2026"),
        None,
    )
    .await;
    assert_eq!(status, 403);

    // The member's own page on a phone: the count against 2, the points and the duties ahead.
    let (client, _) = app.page_session("demo-member").await;
    let html = get_text(&client, &app.url("/me")).await;
    assert!(html.contains("2026 年履职"), "{html}");
    assert!(html.contains(&format!("已参加社区活动 {} 次", count + 1)));
    assert!(html.contains("专题协商积分"));
}

async fn the_duty_list_flags_members_below_two_but_never_the_exempt(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let (status, list) = call(&app, &city, Method::GET, "/api/v1/members?year=2026", None).await;
    assert_eq!(status, 200);
    let list = list.as_array().unwrap();
    assert!(list.len() >= 40);
    let below: Vec<&Value> = list.iter().filter(|m| m["below_minimum"] == true).collect();
    assert!(!below.is_empty(), "the demo has members below 2");
    assert!(list.iter().any(|m| m["activity_count"].as_i64().unwrap() >= 2));
    let exempt: Vec<&Value> = list.iter().filter(|m| m["exempt"] == true).collect();
    assert!(!exempt.is_empty());
    for m in &exempt {
        assert!(
            m["activity_count"].as_i64().unwrap() < 2,
            "the demo's exempt members are below 2"
        );
        assert_eq!(m["below_minimum"], false, "but never flagged: {m}");
    }
    for m in list {
        let count = m["activity_count"].as_i64().unwrap();
        let expected = if m["level"] == "city" { count * 10 } else { 0 };
        assert_eq!(m["points"].as_i64().unwrap(), expected, "{m}");
        assert_eq!(m["minimum"], 2);
        assert_eq!(m["below_minimum"], json!(m["exempt"] == false && count < 2));
    }
    let (status, _) = call(&app, &city, Method::GET, "/api/v1/members?year=1999", None).await;
    assert_eq!(status, 422);

    // A district sees its own members only.
    let district = app.token("demo-district").await;
    let (_, own) = call(&app, &district, Method::GET, "/api/v1/members?year=2026", None).await;
    assert!(own.as_array().unwrap().iter().all(|m| m["district"] == "越秀区"));

    // The score sheet reads back: one row per member, numbers as numbers.
    let response = app
        .with_token(Method::GET, "/api/v1/score-sheet?year=2026", &city)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let sheet = documents::xlsx::read_first_sheet(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(sheet.headers[0], "姓名");
    assert_eq!(sheet.headers[10], "专题协商积分");
    assert_eq!(sheet.rows.len(), list.len());
    let chen = list.iter().find(|m| m["name"] == "陈思远").unwrap();
    let row = sheet.rows.iter().find(|(_, r)| r[0] == "陈思远").unwrap();
    assert_eq!(row.1[6], chen["activity_count"].as_i64().unwrap().to_string());
    assert_eq!(row.1[10], chen["points"].as_i64().unwrap().to_string());

    // The district's page: below-minimum filter and the download link.
    let (client, _) = app.page_session("demo-district").await;
    let html = get_text(&client, &app.url("/admin/duty?year=2026&below=1&sort=count")).await;
    assert!(html.contains("2026 年委员履职情况"));
    assert!(html.contains("还差"));
    assert!(!html.contains("已达标"), "only those below are listed");
    let html = get_text(&client, &app.url("/admin/duty?year=2026&level=city&sort=points")).await;
    assert!(html.contains("陈思远"));
    let response = client
        .get(app.url("/admin/duty/score-sheet.xlsx?year=2026"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

async fn the_staff_page_records_an_activity_once_however_often_it_is_sent(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (client, _) = app.page_session("demo-staff").await;
    let page = get_text(&client, &app.url("/admin/activities")).await;
    assert!(page.contains("登记活动"));
    let csrf = hidden_value(&page, "csrf");
    let key = hidden_value(&page, "client_key");
    let members = member_ids(&app, "demo-staff").await;
    let member_field = format!("member_{}", members[2]);
    let form = [
        ("csrf", csrf.as_str()),
        ("client_key", key.as_str()),
        ("room_id", "1"),
        ("kind", "policy_promotion"),
        ("date", "2026-11-25"),
        ("starts_at", ""),
        ("ends_at", ""),
        ("place", "三眼井社区广场"),
        (member_field.as_str(), "on"),
        ("summary", "宣讲垃圾分类新规"),
        ("residents_reached", "50"),
    ];
    let first = client
        .post(app.url("/admin/activities"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 200);
    assert!(first.text().await.unwrap().contains("已登记 2026-11-25 政策宣讲"));
    let second = client
        .post(app.url("/admin/activities"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert!(second.text().await.unwrap().contains("没有重复登记"));
    let staff = app.token("demo-staff").await;
    let (_, list) = call(&app, &staff, Method::GET, "/api/v1/activities?year=2026", None).await;
    let made = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["date"] == "2026-11-25" && a["kind"] == "policy_promotion")
        .count();
    assert_eq!(made, 1);
    // A future date is refused on the page, in Chinese, with 422.
    let page = get_text(&client, &app.url("/admin/activities")).await;
    let key = hidden_value(&page, "client_key");
    let mut bad = form;
    bad[1] = ("client_key", key.as_str());
    bad[4] = ("date", "2027-01-01");
    let response = client
        .post(app.url("/admin/activities"))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("晚于今天"));
}

/// A 2000×1500 JPEG with an EXIF segment naming a GPS position.
fn big_jpeg_with_gps() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(2000, 1500, |x, y| {
        image::Rgb([u8::try_from(x % 256).unwrap(), u8::try_from(y % 256).unwrap(), 60])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&picture)
        .unwrap();
    let payload = b"Exif\0\0MM\0*GPSLatitude 23.1291N";
    let length = u16::try_from(payload.len() + 2).unwrap().to_be_bytes();
    let mut segment = vec![0xFF, 0xE1, length[0], length[1]];
    segment.extend_from_slice(payload);
    jpeg.splice(2..2, segment);
    jpeg
}

async fn staff_complete_a_held_days_record_with_a_summary_and_photos(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let (_, list) = call(&app, &staff, Method::GET, "/api/v1/activities?year=2026", None).await;
    let reception = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "reception_day")
        .unwrap()
        .clone();
    let id = reception["id"].as_i64().unwrap();
    let path = format!("/api/v1/activities/{id}");
    let (status, changed) = call(
        &app,
        &staff,
        Method::PATCH,
        &path,
        Some(json!({"summary": "接待群众 9 人次，收集停车难等意见 5 条。", "residents_reached": 9})),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["residents_reached"], 9);
    assert_eq!(
        changed["session_id"], reception["session_id"],
        "still the session's activity"
    );
    let (status, _) = call(&app, &staff, Method::PATCH, &path, Some(json!({"summary": ""}))).await;
    assert_eq!(status, 422);
    let member = app.token("demo-member").await;
    let (status, _) = call(
        &app,
        &member,
        Method::PATCH,
        &path,
        Some(json!({"summary": "改"})),
    )
    .await;
    assert!(
        status == 403,
        "a member does not edit a confirmed record: {status}"
    );

    // A phone photo of 2000×1500 with a GPS tag comes back scaled and without it.
    let photo = big_jpeg_with_gps();
    assert!(photo.len() > 100_000);
    let response = app
        .with_token(Method::POST, &format!("{path}/photos"), &staff)
        .body(photo)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let added: Value = response.json().await.unwrap();
    let url = added["url"].as_str().unwrap().to_owned();
    let (client, _) = app.page_session("demo-staff").await;
    let served = client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(served.status(), 200);
    let etag = served.headers()["etag"].to_str().unwrap().to_owned();
    let bytes = served.bytes().await.unwrap();
    let decoded = image::load_from_memory(&bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (1600, 1200));
    assert!(!bytes.windows(4).any(|w| w == b"Exif"));
    let again = client
        .get(app.url(&url))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    // Out of scope: another district's staff and the public see nothing.
    let (other, _) = app.page_session("demo-other-district").await;
    assert_eq!(other.get(app.url(&url)).send().await.unwrap().status(), 403);
    let anonymous = common::new_client().get(app.url(&url)).send().await.unwrap();
    assert_eq!(anonymous.status(), 303);
    // Not an image: refused.
    let response = app
        .with_token(Method::POST, &format!("{path}/photos"), &staff)
        .body("name,level\n")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let (_, listed) = call(&app, &staff, Method::GET, &path, None).await;
    assert_eq!(listed["photo_urls"].as_array().unwrap().len(), 1);
    let photo_id = added["photo_id"].as_i64().unwrap();
    let (status, _) = call(
        &app,
        &staff,
        Method::DELETE,
        &format!("{path}/photos/{photo_id}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = call(
        &app,
        &staff,
        Method::DELETE,
        &format!("{path}/photos/{photo_id}"),
        None,
    )
    .await;
    assert_eq!(status, 404);

    // On the page, a phone's photo of several MB is taken (beyond the 1 MB limit of other forms).
    let mut seed = 7u32;
    let noise = image::RgbImage::from_fn(1100, 900, |_, _| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let [a, b, c, _] = seed.to_le_bytes();
        image::Rgb([a, b, c])
    });
    let mut heavy = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut heavy, 95)
        .encode_image(&noise)
        .unwrap();
    assert!(heavy.len() > 1024 * 1024, "{} bytes", heavy.len());
    let html = get_text(&client, &app.url("/admin/activities")).await;
    let csrf = hidden_value(&html, "csrf");
    let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
        "photo",
        reqwest::multipart::Part::bytes(heavy)
            .file_name("phone.jpg")
            .mime_str("image/jpeg")
            .unwrap(),
    );
    let response = client
        .post(app.url(&format!("/admin/activities/{id}/photos")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("已添加照片"));
}

on_both_databases!(
    staff_complete_a_held_days_record_with_a_summary_and_photos,
    staff_record_activities_once_and_bad_input_leaves_nothing,
    held_sessions_are_reception_day_activities_without_retyping,
    members_report_their_own_activity_for_the_staff_to_confirm,
    the_duty_list_flags_members_below_two_but_never_the_exempt,
    the_staff_page_records_an_activity_once_however_often_it_is_sent
);
