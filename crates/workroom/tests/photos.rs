//! Members' photos (R8) on both databases: uploads re-encoded without metadata, refused when not an image
//! or a decompression bomb, published with an ETag while the member serves in an open room.

mod common;

use common::{TestApp, get_text};
use reqwest::Method;
use serde_json::Value;
use store::on_both_databases;
use store::test_support::TestDatabase;

fn jpeg_with_gps() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(900, 1200, |x, y| {
        image::Rgb([
            u8::try_from(x % 256).unwrap(),
            u8::try_from(y % 256).unwrap(),
            120,
        ])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&picture)
        .unwrap();
    let payload = b"Exif\0\0MM\0*GPSLatitude 23.1291N GPSLongitude 113.2644E";
    let length = u16::try_from(payload.len() + 2).unwrap().to_be_bytes();
    let mut segment = vec![0xFF, 0xE1, length[0], length[1]];
    segment.extend_from_slice(payload);
    jpeg.splice(2..2, segment);
    jpeg
}

/// CRC-32 of a PNG chunk, so the crafted header is otherwise valid.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn put(app: &TestApp, token: &str, member: i64, body: Vec<u8>) -> (u16, Value) {
    let response = app
        .with_token(Method::PUT, &format!("/api/v1/members/{member}/photo"), token)
        .header("content-type", "image/jpeg")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn photos_are_cleaned_published_and_cached(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let district = app.token("demo-district").await;
    let staff = app.token("demo-staff").await;
    let other = app.token("demo-other-district").await;
    let upload = jpeg_with_gps();
    assert!(contains(&upload, b"GPSLatitude"));
    assert_eq!(put(&app, &other, 1, upload.clone()).await.0, 403);
    assert_eq!(put(&app, &staff, 1, upload.clone()).await.0, 403);
    let (status, body) = put(&app, &district, 1, upload).await;
    assert_eq!(status, 200, "{body}");
    let url = body["photo_url"].as_str().unwrap().to_owned();

    // The public record points at it; the file has no metadata and is scaled.
    let (_, room) = app.get_json("/api/v1/public/rooms/1").await;
    let chen = room["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "陈思远")
        .unwrap();
    assert_eq!(chen["photo_url"], url.as_str());
    let response = app.get(&url).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let bytes = response.bytes().await.unwrap();
    assert!(!contains(&bytes, b"GPSLatitude") && !contains(&bytes, b"Exif"));
    let decoded = image::load_from_memory(&bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (480, 640));
    let again = app
        .client
        .get(app.url(&url))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    let page = get_text(&app.client, &app.url("/rooms/1")).await;
    assert!(
        page.contains(&format!("src=\"{}\"", url.replace('&', "&amp;")))
            || page.contains(&format!("src=\"{url}\"")),
        "{page}"
    );

    // Not an image, a bomb, nothing: clear 422s; the stored photo stays.
    // A PNG whose (valid) header claims 100,000 × 100,000 pixels.
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\r".to_vec();
    bomb.extend_from_slice(&ihdr);
    bomb.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    for (bad, why) in [
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec(),
            "JPEG",
        ),
        (bomb, "尺寸过大"),
        (Vec::new(), "为空"),
    ] {
        let (status, body) = put(&app, &district, 1, bad).await;
        assert_eq!(status, 422, "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains(why), "{body}");
    }
    assert_eq!(app.get(&url).await.status(), 200);

    // A ceased member's photo is no longer published; a removed one is gone.
    let ceased = app
        .with_token(Method::PATCH, "/api/v1/members/1", &district)
        .json(&serde_json::json!({ "status": "ceased" }))
        .send()
        .await
        .unwrap();
    assert_eq!(ceased.status(), 200);
    assert_eq!(app.get(&url).await.status(), 404);
    let removed = app
        .with_token(Method::DELETE, "/api/v1/members/1/photo", &district)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    assert_eq!(app.get("/members/999999/photo.jpg").await.status(), 404);
}

async fn the_member_page_uploads_a_photo(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (client, csrf) = app.page_session("demo-district").await;
    let form = reqwest::multipart::Form::new().text("csrf", csrf.clone()).part(
        "photo",
        reqwest::multipart::Part::bytes(jpeg_with_gps())
            .file_name("me.jpg")
            .mime_str("image/jpeg")
            .unwrap(),
    );
    let response = client
        .post(app.url("/admin/members/2/photo"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("已更新照片"), "{html}");
    assert!(html.contains("/members/2/photo.jpg"));
    let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
        "photo",
        reqwest::multipart::Part::bytes(b"not an image".to_vec()).file_name("x.txt"),
    );
    let response = client
        .post(app.url("/admin/members/2/photo"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("只能上传 JPEG"));
}

on_both_databases!(
    photos_are_cleaned_published_and_cached,
    the_member_page_uploads_a_photo
);
