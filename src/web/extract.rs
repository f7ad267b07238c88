//! Axum's extractors with our error on rejection, so a malformed body or id
//! gets the same localised error body as everything else.

use axum::extract::FromRequest;
use axum::extract::FromRequestParts;
use serde::Deserialize;

use crate::error::Error;

#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(Error))]
pub struct Json<T>(pub T);

#[derive(FromRequest)]
#[from_request(via(axum::Form), rejection(Error))]
pub struct Form<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(Error))]
pub struct Path<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(Error))]
pub struct Query<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// For PATCH bodies: tells "absent" (`None`) from "null" (`Some(None)`).
/// Use with `#[serde(default, deserialize_with = "present")]`.
pub fn present<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A form body as its name–value pairs, keeping repeated names (a
/// `<select multiple>` or several checkboxes send one pair per choice).
pub struct Pairs(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for Pairs {
    type Rejection = Error;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::RawForm(bytes) = axum::extract::RawForm::from_request(req, state)
            .await
            .map_err(|_| {
                Error::Invalid(vec![crate::error::FieldError::general(
                    crate::error::Code::InvalidBody,
                )])
            })?;
        serde_urlencoded::from_bytes(&bytes)
            .map(Pairs)
            .map_err(|_| {
                Error::Invalid(vec![crate::error::FieldError::general(
                    crate::error::Code::InvalidBody,
                )])
            })
    }
}

impl Pairs {
    /// The first value of `name`, or "".
    pub fn one(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// Every value of `name` that is a whole number.
    pub fn ids(&self, name: &str) -> Vec<i64> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .filter_map(|(_, v)| v.trim().parse().ok())
            .collect()
    }
}

/// An uploaded form (`multipart/form-data`): its file, named as the client
/// named it, and its text fields. A body that cannot be read is a problem
/// with the file field.
pub struct Upload {
    pub file: Option<(String, axum::body::Bytes)>,
    fields: Vec<(String, String)>,
}

impl Upload {
    pub fn has(&self, name: &str) -> bool {
        self.fields.iter().any(|(k, _)| k == name)
    }

    /// The file as a table: CSV or XLSX by its name.
    pub fn sheet(&self) -> Result<(crate::sheets::Format, &[u8]), Error> {
        use crate::error::Code;
        let (name, bytes) = self
            .file
            .as_ref()
            .ok_or(Error::field("file", Code::Required))?;
        let format = crate::sheets::Format::from_file_name(name)
            .ok_or(Error::field("file", Code::FileFormatUnknown))?;
        Ok((format, bytes))
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = Error;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        fn unreadable<E>(_: E) -> Error {
            Error::field("file", crate::error::Code::FileUnreadable)
        }
        let mut multipart = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(unreadable)?;
        let mut upload = Upload {
            file: None,
            fields: Vec::new(),
        };
        while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
            let name = field.name().unwrap_or_default().to_string();
            if name == "file" {
                let file_name = field.file_name().unwrap_or_default().to_string();
                upload.file = Some((file_name, field.bytes().await.map_err(unreadable)?));
            } else {
                upload
                    .fields
                    .push((name, field.text().await.map_err(unreadable)?));
            }
        }
        Ok(upload)
    }
}
