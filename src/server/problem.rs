//! Errors of the HTTP API as `application/problem+json` (RFC 9457): a status, a title, a detail
//! and the same located diagnostics (file, line, column, expected, help) the command line prints.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use schemars::JsonSchema;
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics};
use crate::register::RegisterError;

/// A problem report.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`urn:locatieadvies:problem:<kind>`).
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    pub detail: String,
    /// Every problem found in the request, located as the command line locates them.
    pub problems: Vec<Diagnostic>,
}

impl Problem {
    /// A problem of `kind` with status `status`.
    pub fn new(status: StatusCode, kind: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("urn:locatieadvies:problem:{kind}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            problems: Vec::new(),
        }
    }

    /// Invalid input (422) with its diagnostics.
    pub fn invalid(diags: Diagnostics) -> Problem {
        let n = diags.0.len();
        let mut p = Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-input",
            format!(
                "the request has {n} problem{}; each is located in the part of the request it names",
                if n == 1 { "" } else { "s" }
            ),
        );
        p.problems = diags.0;
        p
    }

    /// A body that is not the JSON the endpoint takes (400), located at its line and column.
    pub fn bad_json(e: &serde_json::Error) -> Problem {
        let mut d = Diagnostic::file("invalid-json", "<request body>", e.to_string());
        d.line = e.line();
        d.column = e.column();
        let mut p = Problem::new(
            StatusCode::BAD_REQUEST,
            "invalid-json",
            "the request body is not the JSON this endpoint takes",
        );
        p.problems.push(d);
        p
    }

    /// Something not found (404).
    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not-found", detail)
    }

    /// A failure of the server itself (500).
    pub fn internal(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", detail)
    }
}

impl From<RegisterError> for Problem {
    fn from(e: RegisterError) -> Problem {
        let (status, kind) = match &e {
            RegisterError::NotFound(_) => (StatusCode::NOT_FOUND, "not-found"),
            RegisterError::Duplicate(_) => (StatusCode::CONFLICT, "duplicate"),
            RegisterError::NoAdvice { .. } => (StatusCode::CONFLICT, "no-advice"),
            RegisterError::MotivationMissing
            | RegisterError::InvalidDate(_)
            | RegisterError::DateBeforeReceived { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid-input")
            }
            RegisterError::Sqlite { .. }
            | RegisterError::Folder { .. }
            | RegisterError::Newer { .. }
            | RegisterError::Missing(_) => (StatusCode::INTERNAL_SERVER_ERROR, "register"),
        };
        Problem::new(status, kind, e.to_string())
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec_pretty(&self).unwrap_or_default();
        let mut r = (status, body).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"locatieadvies\""),
            );
        }
        r
    }
}
