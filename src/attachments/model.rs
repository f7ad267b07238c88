//! What an attachment is, what it may be attached to, and which files are
//! accepted.

use serde::Serialize;

use crate::auth::Action;
use crate::db::Timestamp;
use crate::error::{Code, FieldError};

/// A record files can be attached to. Each owner decides who may see and
/// who may add its files, through the permission module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Engagement(i64),
}

impl Owner {
    pub fn kind(self) -> &'static str {
        match self {
            Owner::Engagement(_) => "engagement",
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Owner::Engagement(id) => id,
        }
    }

    pub fn from_parts(kind: &str, id: i64) -> Option<Owner> {
        match kind {
            "engagement" => Some(Owner::Engagement(id)),
            _ => None,
        }
    }

    /// What an actor must be allowed to see the owner's files.
    pub fn view_action(self) -> Action {
        match self {
            Owner::Engagement(_) => Action::ViewEngagements,
        }
    }

    /// What an actor must be allowed to add or remove the owner's files.
    pub fn manage_action(self) -> Action {
        match self {
            Owner::Engagement(_) => Action::ManageEngagements,
        }
    }

    /// Where people see the owner (and its files).
    pub fn page(self) -> String {
        match self {
            Owner::Engagement(id) => format!("/engagements/{id}"),
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Attachment {
    pub id: i64,
    pub owner_type: String,
    pub owner_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: Option<i64>,
    #[schema(value_type = String)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>)]
    pub removed_at: Option<Timestamp>,
}

impl Attachment {
    pub fn owner(&self) -> Option<Owner> {
        Owner::from_parts(&self.owner_type, self.owner_id)
    }

    /// "1.2 MB", "340 KB".
    pub fn size_label(&self) -> String {
        let size = self.size as f64;
        if size >= 1024.0 * 1024.0 {
            format!("{:.1} MB", size / 1024.0 / 1024.0)
        } else {
            format!("{} KB", (size / 1024.0).ceil() as i64)
        }
    }
}

/// Office documents, PDFs, images, text and archives; the content type is
/// decided here from the name, never taken from the uploader.
const TYPES: [(&str, &str); 20] = [
    ("pdf", "application/pdf"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xls", "application/vnd.ms-excel"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("ppt", "application/vnd.ms-powerpoint"),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("hwp", "application/x-hwp"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("txt", "text/plain; charset=utf-8"),
    ("csv", "text/csv; charset=utf-8"),
    ("zip", "application/zip"),
    ("mp3", "audio/mpeg"),
    ("mp4", "video/mp4"),
];

/// The extensions accepted, for the form's `accept` attribute.
pub fn accepted_extensions() -> String {
    TYPES
        .iter()
        .map(|(ext, _)| format!(".{ext}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// A file name safe to store and to send back: no directories, no control
/// characters, at most 150 characters, its extension kept.
pub fn clean_file_name(raw: &str) -> Result<(String, &'static str), FieldError> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_string();
    if cleaned.is_empty() {
        return Err(FieldError::new("file", Code::Required));
    }
    let extension = cleaned
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let content_type = TYPES
        .iter()
        .find(|(ext, _)| *ext == extension)
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            FieldError::new("file", Code::FileTypeRefused).with("types", accepted_extensions())
        })?;
    let name = if cleaned.chars().count() > 150 {
        let stem: String = cleaned.chars().take(140).collect();
        format!("{stem}.{extension}")
    } else {
        cleaned
    };
    Ok((name, content_type))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_directories_and_keep_a_known_extension() {
        assert_eq!(
            clean_file_name("C:\\Users\\李\\訪問記録.DOCX").unwrap().0,
            "訪問記録.DOCX"
        );
        assert_eq!(
            clean_file_name("../../etc/報告.pdf").unwrap(),
            ("報告.pdf".to_string(), "application/pdf")
        );
        assert_eq!(
            clean_file_name("run.exe").unwrap_err().code,
            Code::FileTypeRefused
        );
        assert_eq!(clean_file_name("..").unwrap_err().code, Code::Required);
        assert_eq!(
            clean_file_name("noextension").unwrap_err().code,
            Code::FileTypeRefused
        );
        let long = format!("{}.pdf", "가".repeat(300));
        let cleaned = clean_file_name(&long).unwrap().0;
        assert_eq!(cleaned.chars().count(), 144);
        assert!(cleaned.ends_with(".pdf"));
    }
}
