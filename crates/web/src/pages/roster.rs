//! Importing the member roster (导入委员名册) from Excel, and its template.

use askama::Template;
use askama_web::WebTemplate;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use app::AppError;

use crate::AppState;
use crate::auth::PageCaller;
use crate::error::PageError;
use crate::extract::{EXPIRED_PAGE, check_upload_csrf};
use crate::layout::PageContext;

#[derive(Template, WebTemplate)]
#[template(path = "members/import.html")]
pub(super) struct ImportPage {
    page: PageContext,
    report: Option<app::roster::ImportReport>,
    error: String,
}

pub(super) async fn members_import_form(
    page: PageContext,
    PageCaller(caller): PageCaller,
) -> Result<ImportPage, PageError> {
    let acting = caller.acting();
    if !app::App::may_import_members(&acting) {
        return Err(PageError::new(page, app::access::forbidden()));
    }
    Ok(ImportPage {
        page,
        report: None,
        error: String::new(),
    })
}

/// Receives the uploaded roster (multipart: `csrf`, `file`, optional `dry_run`).
pub(super) async fn members_import(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let refuse = |page: PageContext, status: StatusCode, error: String| {
        (
            status,
            ImportPage {
                page,
                report: None,
                error,
            },
        )
            .into_response()
    };
    let Ok(mut multipart) = multipart else {
        return refuse(
            page,
            StatusCode::BAD_REQUEST,
            "请通过页面上的表单上传文件。".into(),
        );
    };
    let (mut csrf, mut file, mut dry_run) = (String::new(), None, false);
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("csrf") => csrf = field.text().await.unwrap_or_default(),
                Some("dry_run") => dry_run = true,
                Some("file") => match field.bytes().await {
                    Ok(bytes) => file = Some(bytes),
                    Err(_) => {
                        return refuse(
                            page,
                            StatusCode::PAYLOAD_TOO_LARGE,
                            "文件过大：名册文件最大 10 MB。".into(),
                        );
                    }
                },
                _ => {}
            },
            Ok(None) => break,
            Err(_) => {
                return refuse(
                    page,
                    StatusCode::BAD_REQUEST,
                    "上传中断或文件过大，请重试。".into(),
                );
            }
        }
    }
    // The import page shows the refusal above its own form.
    if check_upload_csrf(&page, &caller, &csrf).is_err() {
        return refuse(page, StatusCode::FORBIDDEN, EXPIRED_PAGE.into());
    }
    let Some(file) = file.filter(|f| !f.is_empty()) else {
        return refuse(
            page,
            StatusCode::UNPROCESSABLE_ENTITY,
            "请选择要上传的名册文件。".into(),
        );
    };
    match state
        .app
        .import_members(&caller.acting(), &file, dry_run, &|_, _| {})
        .await
    {
        Ok(report) => {
            let status = if report.succeeded() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            (
                status,
                ImportPage {
                    page,
                    report: Some(report),
                    error: String::new(),
                },
            )
                .into_response()
        }
        Err(err @ AppError::Invalid { .. }) => {
            refuse(page, StatusCode::UNPROCESSABLE_ENTITY, err.to_string())
        }
        Err(err) => PageError::new(page, err).into_response(),
    }
}

/// The roster template as an .xlsx download.
pub(super) async fn members_template(page: PageContext, PageCaller(_caller): PageCaller) -> Response {
    match app::roster::roster_template() {
        Ok(bytes) => crate::download::attachment(
            crate::download::FileKind::Xlsx,
            "委员名册模板.xlsx",
            "roster-template.xlsx",
            bytes,
        ),
        Err(err) => PageError::new(page, err).into_response(),
    }
}
