//! What an outside probe found, kept found, on both databases: security headers and private caching,
//! cookies behind TLS, a Host header that cannot reach posters, bounded metrics labels, every `/api/`
//! error in the JSON shape, per-route body limits, spoofing characters refused, and the database
//! file for its owner only.

mod common;

use common::{TestApp, call, new_client};
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

async fn every_answer_carries_the_security_headers(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    for path in [
        "/",
        "/rooms/1",
        "/rooms/1/poster",
        "/login",
        "/api/v1/public/rooms",
        "/no-such-page",
    ] {
        let response = app.get(path).await;
        let csp = header(&response, "content-security-policy");
        assert!(
            csp.contains("script-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert_eq!(header(&response, "x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header(&response, "x-frame-options"), "DENY", "{path}");
        assert_eq!(header(&response, "referrer-policy"), "same-origin", "{path}");
        assert_eq!(
            header(&response, "strict-transport-security"),
            "",
            "no HSTS over plain HTTP"
        );
    }
    // A public page may be cached; what a signed-in caller or a tracking code sees may not.
    assert_eq!(header(&app.get("/rooms/1").await, "cache-control"), "");
    let staff = app.token("demo-staff").await;
    for path in ["/api/v1/opinions", "/api/v1/me"] {
        let response = app.with_token(Method::GET, path, &staff).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(header(&response, "cache-control"), "no-store", "{path}");
    }
    let (page, _) = app.page_session("demo-staff").await;
    let response = page.get(app.url("/admin/opinions")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "cache-control"), "no-store");
    let response = app.get("/api/v1/public/track/AAAA-AAAA-AAAA").await;
    assert_eq!(header(&response, "cache-control"), "no-store");
}

async fn behind_tls_cookies_are_secure_and_hsts_is_sent(db: TestDatabase) {
    let app = TestApp::spawn_configured(db, true, |options| options.secure_cookies = true).await;
    let response = app.get("/login").await;
    assert!(header(&response, "strict-transport-security").starts_with("max-age="));
    let csrf_cookie = header(&response, "set-cookie");
    assert!(
        csrf_cookie.starts_with("wr_login_csrf=") && csrf_cookie.contains("Secure"),
        "the sign-in form's own cookie: {csrf_cookie}"
    );
    let response = new_client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "demo-staff", "password": "workroom-demo"}))
        .send()
        .await
        .unwrap();
    assert!(header(&response, "set-cookie").contains("Secure"));
}

async fn the_host_header_never_reaches_posters_nor_breaks_them(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let listening = app.base.clone();
    for host in ["evil.example".to_owned(), "h".repeat(2400)] {
        for path in ["/rooms/1/poster"] {
            let response = new_client()
                .get(app.url(path))
                .header("host", &host)
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                200,
                "{path} with a Host of {} characters",
                host.len()
            );
            let html = response.text().await.unwrap();
            assert!(!html.contains(&host[..12]), "{path} prints the Host it was sent");
            assert!(
                html.contains(&format!("{listening}/rooms/1")),
                "the listen address instead"
            );
        }
    }
}

async fn a_configured_public_url_goes_on_the_poster(db: TestDatabase) {
    let app = TestApp::spawn_configured(db, true, |options| {
        options.public_url = Some("https://workroom.gz.example/".into());
    })
    .await;
    let html = app.get("/rooms/1/poster").await.text().await.unwrap();
    assert!(html.contains("https://workroom.gz.example/rooms/1"));
}

async fn made_up_methods_do_not_grow_the_metrics(db: TestDatabase) {
    let app = TestApp::spawn(db).await;
    for n in 0..30 {
        let method = Method::from_bytes(format!("PROBE{n}X").as_bytes()).unwrap();
        let response = new_client()
            .request(method, app.url("/healthz"))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_client_error());
    }
    let text = app.get("/metrics").await.text().await.unwrap();
    assert!(!text.contains("PROBE"), "a made-up method became a label");
    assert!(text.contains("method=\"other\""), "counted as one label");
}

/// The JSON error shape of every `/api/` refusal, with its code.
async fn json_error(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    assert!(
        header(&response, "content-type").starts_with("application/json"),
        "{status} is not JSON"
    );
    let body: Value = response.json().await.unwrap();
    let code = body["error"]["code"].as_str().unwrap_or_default().to_owned();
    assert!(
        !body["error"]["message"].as_str().unwrap_or_default().is_empty(),
        "{body}"
    );
    (status, code)
}

async fn every_api_refusal_is_json_and_body_limits_fit_each_route(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let response = new_client()
        .delete(app.url("/api/v1/public/rooms"))
        .send()
        .await
        .unwrap();
    assert!(!header(&response, "allow").is_empty(), "405 keeps its Allow");
    assert_eq!(json_error(response).await, (405, "method_not_allowed".into()));
    let six_megabytes = vec![b'x'; 6 * 1024 * 1024];
    let two_megabytes = vec![b'x'; 2 * 1024 * 1024];
    for (method, path, body) in [
        (Method::POST, "/api/v1/activities/1/photos", six_megabytes.clone()),
        (
            Method::POST,
            "/api/v1/calendar/arrangements",
            two_megabytes.clone(),
        ),
        (Method::PATCH, "/api/v1/members/1", two_megabytes.clone()),
    ] {
        let response = app
            .with_token(method.clone(), path, &city)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            json_error(response).await,
            (413, "payload_too_large".into()),
            "{method} {path}"
        );
    }
}

async fn spoofing_characters_are_refused_with_the_field_named(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let opinion = |change: Value| {
        let mut body = json!({
            "content": "小区门口路灯坏了。",
            "contact_name": "李秀英",
            "contact_phone": "13900008888",
            "consent": true,
        });
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    for (change, field) in [
        (json!({"contact_name": "\u{200B}\u{200B}"}), "contact_name"),
        (json!({"contact_name": "\u{FEFF}"}), "contact_name"),
        (json!({"contact_name": "李\u{202E}英秀"}), "contact_name"),
        (json!({"contact_name": "李\u{200B}秀英"}), "contact_name"),
        (json!({"content": "路灯\u{202E}坏了"}), "content"),
        (json!({"content": "\u{200B}"}), "content"),
    ] {
        let response = new_client()
            .post(app.url("/api/v1/public/rooms/1/opinions"))
            .json(&opinion(change.clone()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{change}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["field"], field, "{change}: {body}");
    }
    let city = app.token("demo-city").await;
    let (status, body) = call(
        &app,
        &city,
        Method::PATCH,
        "/api/v1/members/1",
        Some(json!({"employer": "广州市\u{202E}局育教"})),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("employer")),
        "{body}"
    );
}

async fn the_database_file_is_for_its_owner_only(db: TestDatabase) {
    use std::os::unix::fs::PermissionsExt;
    if let app::DatabaseUrl::Sqlite(path) = db.url() {
        let _app = TestApp::spawn(db).await;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", path.display());
    }
}

async fn parallel_writes_keep_the_audit_chain_and_one_step_wins(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    // 24 visitor registrations at once, each with its audit entry in its own transaction.
    let visits = (0..24)
        .map(|n| {
            app.with_token(Method::POST, "/api/v1/opinions", &staff)
                .json(&json!({
                    "room_id": 1,
                    "content": format!("第 {n} 位来访群众反映楼道灯不亮。"),
                    "contact_name": "王建国",
                    "contact_phone": format!("1350000{n:04}"),
                    "consent": true,
                }))
        })
        .collect();
    let statuses = common::statuses_in_parallel(visits).await;
    assert_eq!(common::count_of(&statuses, 201), 24, "{statuses:?}");
    // Ten hands take the same routing step of one case at once: exactly one moves it.
    let (_, list) = common::case_list(&app, &staff).await;
    let id = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "received" && c["content"].as_str().unwrap_or_default().contains("第 7 位"))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let steps = (0..10)
        .map(|_| {
            app.with_token(Method::POST, &format!("/api/v1/opinions/{id}/actions"), &staff)
                .json(&json!({"action": "refer_to_street"}))
        })
        .collect();
    let statuses = common::statuses_in_parallel(steps).await;
    assert_eq!(
        (common::count_of(&statuses, 200), common::count_of(&statuses, 409)),
        (1, 9),
        "{statuses:?}"
    );
    let store = store::Store::connect(&app.db.url()).await.unwrap();
    let report = store.verify_audit_chain().await.unwrap();
    assert!(report.broken.is_none(), "{:?}", report.broken);
    assert!(report.entries > 24);
    store.close().await;
}

on_both_databases!(
    parallel_writes_keep_the_audit_chain_and_one_step_wins,
    every_answer_carries_the_security_headers,
    behind_tls_cookies_are_secure_and_hsts_is_sent,
    the_host_header_never_reaches_posters_nor_breaks_them,
    a_configured_public_url_goes_on_the_poster,
    made_up_methods_do_not_grow_the_metrics,
    every_api_refusal_is_json_and_body_limits_fit_each_route,
    spoofing_characters_are_refused_with_the_field_named,
    the_database_file_is_for_its_owner_only,
);
