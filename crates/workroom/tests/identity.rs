//! Identity on both databases: signing in and out, tokens and cookies, CSRF, throttling, initial
//! passwords, account administration within scope, and the audit trail.

mod common;

use common::{TestApp, count_of, new_client, statuses_in_parallel};
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

async fn login(app: &TestApp, username: &str, password: &str) -> reqwest::Response {
    new_client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap()
}

async fn every_demo_account_signs_in_and_sees_its_role_and_scope(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let expected = [
        ("demo-city", "city_office", "city", "广州市"),
        ("demo-district", "district_staff", "district", "越秀区"),
        ("demo-street", "street_lead", "street", "洪桥街道"),
        ("demo-staff", "room_staff", "room", "洪桥街政协委员工作室"),
        ("demo-member", "member", "member", "陈思远"),
        (
            "demo-dept",
            "functional_department",
            "department",
            "洪桥街道公共服务办公室",
        ),
        (
            "demo-petition",
            "petition_department",
            "department",
            "越秀区信访局",
        ),
        ("demo-other-district", "district_staff", "district", "海珠区"),
    ];
    for (username, role, level, name) in expected {
        let response = login(&app, username, "workroom-demo").await;
        assert_eq!(response.status(), 200);
        let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(
            cookie.starts_with("wr_session=")
                && cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
        );
        let body: Value = response.json().await.unwrap();
        let token = body["token"].as_str().unwrap();
        let me: Value = app
            .with_token(Method::GET, "/api/v1/me", token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["username"], username);
        assert_eq!(me["role"], role, "{username}");
        assert_eq!(me["scope"]["level"], level, "{username}");
        assert_eq!(me["scope"]["name"], name, "{username}");
    }
}

async fn bad_sign_ins_get_clear_refusals(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let wrong = login(&app, "demo-city", "not-the-password").await;
    assert_eq!(wrong.status(), 401);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_credentials");
    assert_eq!(body["error"]["message"], "用户名或密码不正确");
    let unknown: Value = login(&app, "nobody-here", "whatever-password")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        unknown, body,
        "an unknown user looks exactly like a wrong password"
    );

    let city = app.token("demo-city").await;
    let staff_id = app.account_id("demo-staff").await;
    let disabled = app
        .with_token(
            Method::POST,
            &format!("/api/v1/accounts/{staff_id}/disable"),
            &city,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(disabled.status(), 200);
    let refused = login(&app, "demo-staff", "workroom-demo").await;
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("停用"));

    for (body, status, code) in [
        ("{", 400, "malformed_json"),
        ("{\"username\": \"demo-city\"}", 422, "invalid_input"),
        ("[1,2]", 422, "invalid_input"),
    ] {
        let response = new_client()
            .post(app.url("/api/v1/auth/login"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{body}");
        let json: Value = response.json().await.unwrap();
        assert_eq!(json["error"]["code"], code, "{body}");
    }
    let form = new_client()
        .post(app.url("/api/v1/auth/login"))
        .body("username=x")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 415);
    let huge = new_client()
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(format!(
            "{{\"username\":\"{}\",\"password\":\"x\"}}",
            "a".repeat(2 * 1024 * 1024)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), 413);
}

async fn fifty_wrong_passwords_are_throttled(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let mut statuses = Vec::new();
    for _ in 0..50 {
        statuses.push(
            login(&app, "demo-street", "guess-guess-guess")
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(&statuses[..5], &[401; 5], "the first five are plain refusals");
    assert!(
        statuses[5..].iter().all(|s| *s == 429),
        "then every attempt is throttled: {statuses:?}"
    );
    let locked = login(&app, "demo-street", "workroom-demo").await;
    assert_eq!(locked.status(), 429, "even the right password waits");
    let retry: u64 = locked.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    app.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(
        login(&app, "demo-street", "workroom-demo").await.status(),
        200,
        "the lock lifts"
    );
}

fn login_request(app: &TestApp, username: &str, password: &str) -> reqwest::RequestBuilder {
    new_client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "username": username, "password": password }))
}

async fn parallel_guesses_cannot_outrun_the_limits(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    // 40 guesses at one username at once: the attempt is counted before the hashing, so exactly
    // five are evaluated (checking first and recording after let all 40 through).
    let statuses = statuses_in_parallel(
        (0..40)
            .map(|_| login_request(&app, "demo-street", "guess-guess-guess"))
            .collect(),
    )
    .await;
    assert_eq!(
        (count_of(&statuses, 401), count_of(&statuses, 429)),
        (5, 35),
        "{statuses:?}"
    );
    // 40 guesses at once across usernames from one address: exactly the per-address limit.
    let statuses = statuses_in_parallel(
        (0..40)
            .map(|n| login_request(&app, &format!("nobody-{n:02}"), "guess-guess-guess"))
            .collect(),
    )
    .await;
    assert_eq!(
        (count_of(&statuses, 401), count_of(&statuses, 429)),
        (15, 25),
        "20 from this address in all, five of them above: {statuses:?}"
    );
}

async fn a_right_password_does_not_wipe_the_failures_before_it(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    for _ in 0..4 {
        assert_eq!(login(&app, "demo-staff", "guess-guess-guess").await.status(), 401);
    }
    assert_eq!(login(&app, "demo-staff", "workroom-demo").await.status(), 200);
    // The success takes back only its own attempt: one more failure locks the username.
    assert_eq!(login(&app, "demo-staff", "guess-guess-guess").await.status(), 401);
    assert_eq!(login(&app, "demo-staff", "workroom-demo").await.status(), 429);
}

async fn sessions_end_at_logout_and_at_expiry(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let token = app.token("demo-district").await;
    assert_eq!(
        app.with_token(Method::GET, "/api/v1/me", &token)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let logout = app
        .with_token(Method::POST, "/api/v1/auth/logout", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 204);
    assert_eq!(
        app.with_token(Method::GET, "/api/v1/me", &token)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    let token = app.token("demo-district").await;
    app.clock.advance(chrono::Duration::hours(13));
    let expired = app
        .with_token(Method::GET, "/api/v1/me", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(expired.status(), 401);
    let body: Value = expired.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthenticated");
    assert_eq!(
        app.with_token(Method::GET, "/api/v1/me", "not-a-token")
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}

async fn cookie_borne_changes_need_the_csrf_token(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let client = new_client();
    let body: Value = client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "username": "demo-city", "password": "workroom-demo" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let csrf = body["csrf_token"].as_str().unwrap();
    assert_eq!(
        client.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        200,
        "the cookie signs in"
    );
    let without = client.post(app.url("/api/v1/auth/logout")).send().await.unwrap();
    assert_eq!(without.status(), 403);
    let wrong = client
        .post(app.url("/api/v1/auth/logout"))
        .header("x-csrf-token", "0".repeat(64))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    let with = client
        .post(app.url("/api/v1/auth/logout"))
        .header("x-csrf-token", csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(with.status(), 204);

    // Page forms carry the token too.
    let (client, csrf) = app.page_session("demo-district").await;
    let forged = client
        .post(app.url("/logout"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let real = client
        .post(app.url("/logout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(real.status(), 303);
    assert_eq!(
        client.get(app.url("/me")).send().await.unwrap().status(),
        303,
        "signed out: back to sign-in"
    );
}

async fn a_new_account_must_change_its_initial_password(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let district = app.token("demo-district").await;
    let rooms: Value = app
        .with_token(Method::GET, "/api/v1/rooms", &district)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let room_id = rooms[0]["id"].as_i64().unwrap();
    let created = app
        .with_token(Method::POST, "/api/v1/accounts", &district)
        .json(&json!({ "username": "hongqiao-li", "display_name": "李华", "role": "room_staff", "room_id": room_id }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    let initial = created["initial_password"].as_str().unwrap().to_owned();
    assert_eq!(initial.len(), 12);
    assert_eq!(created["account"]["must_change_password"], true);

    let body: Value = login(&app, "hongqiao-li", &initial).await.json().await.unwrap();
    assert_eq!(body["must_change_password"], true);
    let token = body["token"].as_str().unwrap();
    let blocked = app
        .with_token(Method::GET, "/api/v1/rooms", token)
        .send()
        .await
        .unwrap();
    assert_eq!(blocked.status(), 403);
    let weak = app
        .with_token(Method::POST, "/api/v1/me/password", token)
        .json(&json!({ "current_password": initial, "new_password": "short" }))
        .send()
        .await
        .unwrap();
    assert_eq!(weak.status(), 422);
    let wrong_current = app
        .with_token(Method::POST, "/api/v1/me/password", token)
        .json(&json!({ "current_password": "nope-nope-nope", "new_password": "洪桥街道工作室2026" }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_current.status(), 422);
    let changed = app
        .with_token(Method::POST, "/api/v1/me/password", token)
        .json(&json!({ "current_password": initial, "new_password": "洪桥街道工作室2026" }))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    assert_eq!(
        app.with_token(Method::GET, "/api/v1/rooms", token)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        login(&app, "hongqiao-li", &initial).await.status(),
        401,
        "the initial password no longer works"
    );
    assert_eq!(
        login(&app, "hongqiao-li", "洪桥街道工作室2026").await.status(),
        200
    );

    let duplicate = app
        .with_token(Method::POST, "/api/v1/accounts", &district)
        .json(&json!({ "username": "hongqiao-li", "display_name": "李华", "role": "room_staff", "room_id": room_id }))
        .send()
        .await
        .unwrap();
    assert_eq!(duplicate.status(), 409);
}

async fn district_staff_stay_inside_their_district(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let other = app.token("demo-other-district").await;
    let staff_id = app.account_id("demo-staff").await;
    for path in [
        format!("/api/v1/accounts/{staff_id}"),
        "/api/v1/accounts/999999".to_owned(),
    ] {
        let response = app.with_token(Method::GET, &path, &other).send().await.unwrap();
        assert_eq!(
            response.status(),
            403,
            "{path}: out of scope and missing look the same"
        );
    }
    let city = app.token("demo-city").await;
    assert_eq!(
        app.with_token(Method::GET, "/api/v1/accounts/999999", &city)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let reset = app
        .with_token(
            Method::POST,
            &format!("/api/v1/accounts/{staff_id}/reset-password"),
            &other,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 403);
    let into_yuexiu = app
        .with_token(Method::POST, "/api/v1/accounts", &other)
        .json(&json!({ "username": "sneaky", "display_name": "x", "role": "street_lead", "division_code": "440104001" }))
        .send()
        .await
        .unwrap();
    assert_eq!(into_yuexiu.status(), 403);
    let city_power = app
        .with_token(Method::POST, "/api/v1/accounts", &other)
        .json(&json!({ "username": "sneaky", "display_name": "x", "role": "city_office" }))
        .send()
        .await
        .unwrap();
    assert_eq!(city_power.status(), 403);
    let own = app
        .with_token(Method::POST, "/api/v1/accounts", &other)
        .json(&json!({ "username": "haizhu-lead", "display_name": "海珠街道负责人", "role": "street_lead", "division_code": "440105001" }))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 201);
    let rename_elsewhere = app
        .with_token(Method::POST, "/api/v1/divisions/440104001007/rename", &other)
        .json(&json!({ "name": "越界更名社区", "valid_from": "2027-01-01" }))
        .send()
        .await
        .unwrap();
    assert_eq!(rename_elsewhere.status(), 403);
}

async fn every_change_is_in_the_audit_trail_without_secrets(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let district = app.token("demo-district").await;
    let renamed = app
        .with_token(Method::POST, "/api/v1/divisions/440104001007/rename", &district)
        .json(&json!({ "name": "三眼井新社区居委会", "valid_from": "2026-12-01", "note": "区民政局批复" }))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), 200);
    let staff_id = app.account_id("demo-staff").await;
    let reset: Value = app
        .with_token(
            Method::POST,
            &format!("/api/v1/accounts/{staff_id}/reset-password"),
            &district,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let new_password = reset["initial_password"].as_str().unwrap();

    let city = app.token("demo-city").await;
    let trail: Value = app
        .with_token(Method::GET, "/api/v1/audit?limit=5", &city)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let latest = &trail[0];
    assert_eq!(latest["action"], "account.reset_password");
    assert_eq!(latest["actor"], "demo-district");
    assert_eq!(trail[1]["action"], "division.rename");
    assert_eq!(trail[1]["before"]["name"], "三眼井社区居委会");
    assert_eq!(trail[1]["after"]["name"], "三眼井新社区居委会");
    let everything = app
        .with_token(Method::GET, "/api/v1/audit?limit=500", &city)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!everything.contains(new_password), "no password in the trail");
    assert!(!everything.contains("$argon2"), "no password hash in the trail");
    assert_eq!(
        app.with_token(Method::GET, "/api/v1/audit", &district)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

async fn pages_sign_in_and_administer_accounts(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let anonymous = new_client().get(app.url("/admin/accounts")).send().await.unwrap();
    assert_eq!(anonymous.status(), 303);
    assert_eq!(anonymous.headers()["location"], "/login?next=/admin/accounts");

    let (client, csrf) = app.page_session("demo-district").await;
    let me = common::get_text(&client, &app.url("/me")).await;
    assert!(me.contains("越秀区政协（演示）") && me.contains("洪桥街政协委员工作室"));
    let page = common::get_text(&client, &app.url("/admin/accounts")).await;
    assert!(page.contains("demo-staff") && !page.contains("demo-other-district"));
    let created = client
        .post(app.url("/admin/accounts"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "hongqiao-lead2"),
            ("display_name", "<script>alert(1)</script>"),
            ("role", "street_lead"),
            ("division_code", "440104001"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let html = created.text().await.unwrap();
    assert!(html.contains("一次性密码") && !html.contains("<script>alert(1)</script>"));
    let bad = client
        .post(app.url("/admin/accounts"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "1bad"),
            ("display_name", "x"),
            ("role", "street_lead"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("用户名应为"));
    let audit = client.get(app.url("/admin/audit")).send().await.unwrap();
    assert_eq!(audit.status(), 403);

    let (city, _) = app.page_session("demo-city").await;
    let audit = common::get_text(&city, &app.url("/admin/audit?verify=1")).await;
    assert!(audit.contains("校验通过") && audit.contains("account.create"));

    let wrong = new_client();
    let form = common::get_text(&wrong, &app.url("/login")).await;
    let login_csrf = common::hidden_value(&form, "csrf");
    let refused = wrong
        .post(app.url("/login"))
        .form(&[
            ("csrf", login_csrf.as_str()),
            ("username", "demo-city"),
            ("password", "wrong-wrong"),
            ("next", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    assert!(refused.text().await.unwrap().contains("用户名或密码不正确"));
}

on_both_databases!(
    every_demo_account_signs_in_and_sees_its_role_and_scope,
    bad_sign_ins_get_clear_refusals,
    fifty_wrong_passwords_are_throttled,
    parallel_guesses_cannot_outrun_the_limits,
    a_right_password_does_not_wipe_the_failures_before_it,
    sessions_end_at_logout_and_at_expiry,
    cookie_borne_changes_need_the_csrf_token,
    a_new_account_must_change_its_initial_password,
    district_staff_stay_inside_their_district,
    every_change_is_in_the_audit_trail_without_secrets,
    pages_sign_in_and_administer_accounts,
);
