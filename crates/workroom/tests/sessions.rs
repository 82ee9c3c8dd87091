//! Reception sessions and notices (R9) on both databases: planned from the calendar, adjusted with a
//! reason kept in history, notices marked posted and late ones flagged for staff, street lead and
//! district; the printable notice, the room's page and its iCalendar feed.

mod common;

use common::{TestApp, call, get_text, hidden_value};
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

const HONGQIAO: i64 = 1;

/// Plans 洪桥's 2027 sessions as its staff and returns them.
async fn planned_2027(app: &TestApp, staff: &str) -> Vec<Value> {
    let path = format!("/api/v1/rooms/{HONGQIAO}/sessions/generate?year=2027");
    let (status, body) = call(app, staff, Method::POST, &path, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["created"].as_i64(), body["coming_days"].as_i64()),
        (Some(6), Some(6))
    );
    let (_, again) = call(app, staff, Method::POST, &path, None).await;
    assert_eq!(again["created"], 0, "generating twice adds nothing");
    let (_, list) = call(
        app,
        staff,
        Method::GET,
        &format!("/api/v1/rooms/{HONGQIAO}/sessions?year=2027"),
        None,
    )
    .await;
    list.as_array().unwrap().clone()
}

async fn sessions_are_planned_from_the_calendar_and_adjusted_with_a_reason(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    // This year's reception days are all past on 30 November: nothing left to plan.
    let (_, body) = call(
        &app,
        &staff,
        Method::POST,
        &format!("/api/v1/rooms/{HONGQIAO}/sessions/generate?year=2026"),
        None,
    )
    .await;
    assert_eq!(body["created"], 0);

    let sessions = planned_2027(&app, &staff).await;
    assert_eq!(sessions.len(), 6);
    let first = &sessions[0];
    assert_eq!(first["date"], "2027-01-15");
    assert_eq!(
        (first["starts_at"].as_str(), first["ends_at"].as_str()),
        (Some("09:00"), Some("11:30"))
    );
    assert_eq!(first["place"], "洪桥街道党群服务中心二楼");
    assert_eq!(first["members"].as_array().unwrap().len(), 7);
    assert_eq!(first["notice_due"], "2027-01-12");
    assert_eq!(first["notice_status"], "pending");
    let id = first["id"].as_i64().unwrap();
    let path = format!("/api/v1/sessions/{id}");

    // Moved and re-timed with a reason: the notice is due 3 days before the new date.
    let (status, moved) = call(
        &app,
        &staff,
        Method::PATCH,
        &path,
        Some(json!({ "date": "2027-01-18", "starts_at": "14:30", "ends_at": "17:00", "reason": "与社区活动冲突" })),
    )
    .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["notice_due"], "2027-01-15");
    let (_, detail) = call(&app, &staff, Method::GET, &path, None).await;
    let history = detail["history"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["reason"], "与社区活动冲突");
    assert_eq!(history[0]["changed_by"], "demo-staff");
    assert!(
        history[0]["summary"]
            .as_str()
            .unwrap()
            .contains("日期 2027-01-15 → 2027-01-18")
    );

    // Bad adjustments: clear 4xx, and nothing changes.
    let stranger = 999_999;
    for (bad, why) in [
        (json!({ "place": "别处", "reason": "" }), "调整原因不能为空"),
        (json!({ "reason": "没改什么" }), "没有修改任何内容"),
        (json!({ "starts_at": "25:00", "reason": "x" }), "HH:MM"),
        (
            json!({ "member_ids": [stranger], "reason": "x" }),
            "不在本工作室履职",
        ),
        (json!({ "status": "held", "reason": "x" }), "还没到"),
        (json!({ "date": "2026-11-01", "reason": "x" }), "已过去"),
        (json!({ "date": "2028-01-03", "reason": "x" }), "另一年"),
        (json!({ "date": "2027-01-23", "reason": "x" }), "不是工作日"),
        (json!({ "status": "done", "reason": "x" }), "planned"),
    ] {
        let (status, body) = call(&app, &staff, Method::PATCH, &path, Some(bad.clone())).await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert!(
            body["error"]["message"].as_str().unwrap().contains(why),
            "{bad}: {body}"
        );
    }
    let (_, detail) = call(&app, &staff, Method::GET, &path, None).await;
    assert_eq!(detail["history"].as_array().unwrap().len(), 1);
    assert_eq!(detail["date"], "2027-01-18");

    // Who may see and change it: its room's staff, street lead, district, the city.
    for (who, status) in [
        ("demo-street", 200),
        ("demo-district", 200),
        ("demo-city", 200),
        ("demo-member", 403),
        ("demo-dept", 403),
        ("demo-other-district", 403),
    ] {
        let token = app.token(who).await;
        assert_eq!(
            call(&app, &token, Method::GET, &path, None).await.0,
            status,
            "{who}"
        );
    }

    // A date blocked after planning: the list says the calendar now gives another day.
    let district = app.token("demo-district").await;
    let (status, _) = call(
        &app,
        &district,
        Method::POST,
        "/api/v1/blocked-dates",
        Some(json!({ "district": "440104", "date": "2027-05-17", "event": "区重要会议" })),
    )
    .await;
    assert_eq!(status, 201);
    let (_, list) = call(
        &app,
        &staff,
        Method::GET,
        &format!("/api/v1/rooms/{HONGQIAO}/sessions?year=2027"),
        None,
    )
    .await;
    let flagged: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| Some((s["date"].as_str()?, s["calendar_date"].as_str()?)))
        .collect();
    assert_eq!(
        flagged,
        [("2027-05-17", "2027-05-18")],
        "the January one was moved on purpose to an open day: {list}"
    );

    // Residents: the printable notice, the room's page and its calendar feed.
    let community = get_text(&app.client, &app.url("/divisions/440104001007")).await;
    assert!(community.contains("2027年1月18日</time> 星期一"), "{community}");
    assert!(community.contains("14:30–17:00 · 洪桥街道党群服务中心二楼 · 接待委员："));
    let notice = get_text(&app.client, &app.url(&format!("/sessions/{id}/notice"))).await;
    assert!(notice.contains("2027年1月18日（星期一） 14:30–17:00"), "{notice}");
    assert!(notice.contains("黄志坚"));
    assert!(notice.contains("<svg"), "a QR code to the room");
    let room = get_text(&app.client, &app.url(&format!("/rooms/{HONGQIAO}"))).await;
    assert!(room.contains("近期接待安排"));
    assert!(room.contains("2027年1月18日（星期一） 14:30–17:00"));
    let feed = app.get(&format!("/rooms/{HONGQIAO}/calendar.ics")).await;
    assert_eq!(feed.headers()["content-type"], "text/calendar; charset=utf-8");
    let feed = feed.text().await.unwrap();
    let unfolded = icalendar::parser::unfold(&feed);
    let parsed = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar feed");
    let events: Vec<_> = parsed.components.iter().filter(|c| c.name == "VEVENT").collect();
    assert_eq!(events.len(), 12, "this year's six and next year's six");
    let moved_event = events
        .iter()
        .find(|e| e.find_prop("UID").unwrap().val.as_str() == "reception-1-2027-01-15@127.0.0.1")
        .expect("the slot keeps its UID when the session moves");
    assert_eq!(
        moved_event.find_prop("DTSTART").unwrap().val.as_str(),
        "20270118T063000Z"
    );

    // Cancelled: the notice is gone for residents and the history says why.
    let (status, _) = call(
        &app,
        &staff,
        Method::PATCH,
        &path,
        Some(json!({ "status": "cancelled", "reason": "台风预警" })),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(app.get(&format!("/sessions/{id}/notice")).await.status(), 404);
    let feed = app
        .get(&format!("/rooms/{HONGQIAO}/calendar.ics"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        feed.contains("STATUS:CANCELLED"),
        "phones drop the cancelled event"
    );
    assert_eq!(app.get("/sessions/999999/notice").await.status(), 404);
}

async fn late_notices_are_flagged_and_stay_late(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let sessions = planned_2027(&app, &staff).await;
    let id = sessions[0]["id"].as_i64().unwrap();
    let late = |token: String| {
        let app = &app;
        async move {
            let (status, body) = call(app, &token, Method::GET, "/api/v1/notices/late", None).await;
            assert_eq!(status, 200);
            body.as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].as_i64().unwrap())
                .collect::<Vec<_>>()
        }
    };
    assert!(late(staff.clone()).await.is_empty());
    // The demo set's one late notice: 海珠区流动委员工作室's last reception day, posted a day late.
    let other = late(app.token("demo-other-district").await).await;
    assert_eq!(other.len(), 1, "{other:?}");
    assert!(late(app.token("demo-district").await).await.is_empty());

    // 13 January 2027: the notice for the 15th was due on the 12th.
    app.clock.advance(chrono::Duration::days(44));
    let staff = app.token("demo-staff").await;
    for who in ["demo-staff", "demo-street"] {
        assert_eq!(
            late(app.token(who).await).await,
            [id],
            "{who} sees the late notice"
        );
    }
    // The district and the city also see the demo's other overdue notices (华乐街's December day).
    for who in ["demo-district", "demo-city"] {
        assert!(
            late(app.token(who).await).await.contains(&id),
            "{who} sees the late notice"
        );
    }
    for who in ["demo-other-district", "demo-member", "demo-dept"] {
        assert!(!late(app.token(who).await).await.contains(&id), "{who}");
    }
    let (client, _) = app.page_session("demo-street").await;
    let me = get_text(&client, &app.url("/me")).await;
    assert!(me.contains("公告未按时张贴（1 个接待日）"), "{me}");

    // Marking it posted today records when and where, and the record keeps that it was late.
    let path = format!("/api/v1/sessions/{id}/notice");
    for (bad, status) in [
        (json!({ "where": "  " }), 422),
        (json!({ "where": "公告栏", "posted_on": "2027-01-14" }), 422),
        (json!({ "posted_on": "2027-01-13" }), 422),
    ] {
        assert_eq!(
            call(&app, &staff, Method::POST, &path, Some(bad.clone())).await.0,
            status,
            "{bad}"
        );
    }
    let (status, posted) = call(
        &app,
        &staff,
        Method::POST,
        &path,
        Some(json!({ "where": "三眼井社区公告栏" })),
    )
    .await;
    assert_eq!(status, 200, "{posted}");
    assert_eq!(posted["notice_posted_on"], "2027-01-13");
    assert_eq!(posted["notice_posted_where"], "三眼井社区公告栏");
    assert_eq!(posted["notice_status"], "posted_late");
    assert_eq!(posted["notice_late"], true);
    assert_eq!(late(staff.clone()).await, [id]);
    // Recorded once: recording it again with an earlier day cannot make it on time.
    let (status, _) = call(
        &app,
        &staff,
        Method::POST,
        &path,
        Some(json!({ "where": "公告栏", "posted_on": "2027-01-10" })),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(late(staff.clone()).await, [id]);

    // The next session's notice, posted in time, is not late.
    let march = sessions[1]["id"].as_i64().unwrap();
    let (_, on_time) = call(
        &app,
        &staff,
        Method::POST,
        &format!("/api/v1/sessions/{march}/notice"),
        Some(json!({ "where": "三眼井社区公告栏" })),
    )
    .await;
    assert_eq!(on_time["notice_status"], "on_time");
}

async fn the_staff_page_plans_adjusts_and_records_posting(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (client, csrf) = app.page_session("demo-staff").await;
    let me = get_text(&client, &app.url("/me")).await;
    assert!(me.contains(&format!("/admin/rooms/{HONGQIAO}/sessions")));
    let page = format!("/admin/rooms/{HONGQIAO}/sessions?year=2027");
    let html = get_text(&client, &app.url(&page)).await;
    assert!(html.contains("2027 年还没有排定接待日"));

    let response = client
        .post(app.url(&format!("/admin/rooms/{HONGQIAO}/sessions/generate")))
        .form(&[("csrf", csrf.as_str()), ("year", "2027")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("已按接待日历排定 6 个接待日"), "{html}");
    let id: i64 = html
        .split("id=\"session-")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .parse()
        .unwrap();

    let adjust = format!("/admin/sessions/{id}/adjust");
    let response = client
        .post(app.url(&adjust))
        .form(&[
            ("csrf", csrf.as_str()),
            ("place", "三眼井社区活动室"),
            ("reason", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("调整原因不能为空"));
    let response = client
        .post(app.url(&adjust))
        .form(&[
            ("csrf", csrf.as_str()),
            ("date", "2027-01-15"),
            ("starts_at", "09:00"),
            ("ends_at", "11:30"),
            ("place", "三眼井社区活动室"),
            ("status", "planned"),
            ("reason", "党群服务中心装修"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("地点 洪桥街道党群服务中心二楼 → 三眼井社区活动室。原因：党群服务中心装修"),
        "{html}"
    );

    let response = client
        .post(app.url(&format!("/admin/sessions/{id}/notice")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("where", "三眼井社区公告栏"),
            ("posted_on", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("已按时张贴"));
    // Without the page's token nothing happens.
    let response = client
        .post(app.url(&adjust))
        .form(&[("place", "别处"), ("reason", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let html = get_text(&client, &app.url(&page)).await;
    assert_eq!(hidden_value(&html, "csrf"), csrf);
    assert!(!html.contains("别处"));
}

async fn members_subscribe_to_their_duties_privately(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let member = app.token("demo-member").await;
    let staff = app.token("demo-staff").await;
    assert_eq!(
        call(&app, &staff, Method::POST, "/api/v1/me/calendar-feed", None)
            .await
            .0,
        403
    );
    let (status, issued) = call(&app, &member, Method::POST, "/api/v1/me/calendar-feed", None).await;
    assert_eq!(status, 201, "{issued}");
    let url = issued["url"].as_str().unwrap().to_owned();
    let feed = app.get(&url).await;
    assert_eq!(feed.status(), 200);
    let feed = feed.text().await.unwrap();
    let unfolded = icalendar::parser::unfold(&feed);
    let parsed = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar feed");
    let events: Vec<_> = parsed.components.iter().filter(|c| c.name == "VEVENT").collect();
    // The demo puts two members on duty at each session, in turn.
    let (_, year) = call(
        &app,
        &staff,
        Method::GET,
        &format!("/api/v1/rooms/{HONGQIAO}/sessions?year=2026"),
        None,
    )
    .await;
    let duties = year
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| {
            s["members"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["name"] == "陈思远")
        })
        .count();
    assert!(duties >= 1);
    assert_eq!(events.len(), duties, "陈思远's duties at 洪桥 this year");
    assert!(
        events[0]
            .find_prop("SUMMARY")
            .unwrap()
            .val
            .as_str()
            .contains("接待日值班")
    );

    // A new link ends the old one; revoking ends the new one; a guessed token finds nothing.
    let (_, again) = call(&app, &member, Method::POST, "/api/v1/me/calendar-feed", None).await;
    let second = again["url"].as_str().unwrap().to_owned();
    assert_eq!(app.get(&url).await.status(), 404);
    assert_eq!(app.get(&second).await.status(), 200);
    assert_eq!(
        call(&app, &member, Method::DELETE, "/api/v1/me/calendar-feed", None)
            .await
            .0,
        204
    );
    assert_eq!(app.get(&second).await.status(), 404);
    assert_eq!(app.get("/feeds/members/abc/calendar.ics").await.status(), 404);
    assert_eq!(
        app.get(&format!("/feeds/members/{}/calendar.ics", "0".repeat(64)))
            .await
            .status(),
        404
    );

    // On the workbench: the link is shown once after issuing.
    let (client, csrf) = app.page_session("demo-member").await;
    let me = get_text(&client, &app.url("/me")).await;
    assert!(me.contains("生成订阅链接"));
    let response = client
        .post(app.url("/me/calendar-feed"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let html = response.text().await.unwrap();
    let link = html
        .split("<span class=\"secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap();
    assert!(link.ends_with("/calendar.ics"), "{link}");
    let path = link.split("127.0.0.1").nth(1).unwrap().split_once('/').unwrap().1;
    assert_eq!(app.get(&format!("/{path}")).await.status(), 200);
}

on_both_databases!(
    sessions_are_planned_from_the_calendar_and_adjusted_with_a_reason,
    late_notices_are_flagged_and_stay_late,
    the_staff_page_plans_adjusts_and_records_posting,
    members_subscribe_to_their_duties_privately
);
