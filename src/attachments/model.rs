//! What an attachment is, what it may be attached to, and which files are
//! accepted.

use serde::Serialize;

use crate::db::Timestamp;
use crate::error::{Code, FieldError};

/// A record files can be attached to. Who may see and add its files is
/// decided by the owner's own rules (`service::check`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Engagement(i64),
    Demand(i64),
    /// A road-map task: its lead and co-units' papers with their reports.
    Task(i64),
}

impl Owner {
    pub fn kind(self) -> &'static str {
        match self {
            Owner::Engagement(_) => "engagement",
            Owner::Demand(_) => "demand",
            Owner::Task(_) => "plan_task",
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Owner::Engagement(id) | Owner::Demand(id) | Owner::Task(id) => id,
        }
    }

    pub fn from_parts(kind: &str, id: i64) -> Option<Owner> {
        match kind {
            "engagement" => Some(Owner::Engagement(id)),
            "demand" => Some(Owner::Demand(id)),
            "plan_task" => Some(Owner::Task(id)),
            _ => None,
        }
    }

    /// Where people see the owner (and its files).
    pub fn page(self) -> String {
        match self {
            Owner::Engagement(id) => format!("/engagements/{id}"),
            Owner::Demand(id) => format!("/demands/{id}"),
            Owner::Task(id) => format!("/tasks/{id}"),
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

/// How a kind of file begins: the allow-list is checked against the
/// content, so a renamed program or page is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signature {
    Pdf,
    /// Office Open XML, OpenDocument and ZIP archives.
    Zip,
    /// Old Office and Hangul documents (OLE compound files).
    Ole,
    Jpeg,
    Png,
    Gif,
    Webp,
    /// UTF-8 text without NUL bytes.
    Text,
    Mp3,
    Mp4,
}

impl Signature {
    fn matches(self, b: &[u8]) -> bool {
        match self {
            Signature::Pdf => b.starts_with(b"%PDF-"),
            Signature::Zip => b.starts_with(b"PK\x03\x04"),
            Signature::Ole => b.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
            Signature::Jpeg => b.starts_with(&[0xFF, 0xD8, 0xFF]),
            Signature::Png => b.starts_with(b"\x89PNG\r\n\x1a\n"),
            Signature::Gif => b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a"),
            Signature::Webp => b.len() >= 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP",
            Signature::Text => !b.contains(&0) && std::str::from_utf8(b).is_ok(),
            Signature::Mp3 => {
                b.starts_with(b"ID3") || (b.len() > 1 && b[0] == 0xFF && b[1] & 0xE0 == 0xE0)
            }
            Signature::Mp4 => b.len() >= 8 && &b[4..8] == b"ftyp",
        }
    }
}

/// Office documents, PDFs, images, text and archives; the content type is
/// decided here, never taken from the uploader.
const TYPES: [(&str, &str, Signature); 20] = [
    ("pdf", "application/pdf", Signature::Pdf),
    ("doc", "application/msword", Signature::Ole),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Signature::Zip,
    ),
    ("xls", "application/vnd.ms-excel", Signature::Ole),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Signature::Zip,
    ),
    ("ppt", "application/vnd.ms-powerpoint", Signature::Ole),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        Signature::Zip,
    ),
    (
        "odt",
        "application/vnd.oasis.opendocument.text",
        Signature::Zip,
    ),
    (
        "ods",
        "application/vnd.oasis.opendocument.spreadsheet",
        Signature::Zip,
    ),
    ("hwp", "application/x-hwp", Signature::Ole),
    ("jpg", "image/jpeg", Signature::Jpeg),
    ("jpeg", "image/jpeg", Signature::Jpeg),
    ("png", "image/png", Signature::Png),
    ("gif", "image/gif", Signature::Gif),
    ("webp", "image/webp", Signature::Webp),
    ("txt", "text/plain; charset=utf-8", Signature::Text),
    ("csv", "text/csv; charset=utf-8", Signature::Text),
    ("zip", "application/zip", Signature::Zip),
    ("mp3", "audio/mpeg", Signature::Mp3),
    ("mp4", "video/mp4", Signature::Mp4),
];

/// The content type of a file named `file_name` holding `bytes`, when the
/// name is of an accepted kind and the content is of that kind too.
pub fn content_type(file_name: &str, bytes: &[u8]) -> Result<&'static str, FieldError> {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let refused =
        || FieldError::new("file", Code::FileTypeRefused).with("types", accepted_extensions());
    let (_, content_type, signature) = TYPES
        .iter()
        .find(|(ext, _, _)| *ext == extension)
        .ok_or_else(refused)?;
    if signature.matches(bytes) {
        Ok(content_type)
    } else {
        Err(FieldError::new("file", Code::FileContentMismatch).with("type", extension))
    }
}

/// The extensions accepted, for the form's `accept` attribute.
pub fn accepted_extensions() -> String {
    TYPES
        .iter()
        .map(|(ext, _, _)| format!(".{ext}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// A file name safe to store and to send back: no directories, no control
/// characters, at most 150 characters, its extension kept.
pub fn clean_file_name(raw: &str) -> Result<String, FieldError> {
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
    if cleaned.chars().count() <= 150 {
        return Ok(cleaned);
    }
    let extension = cleaned.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
    let stem: String = cleaned.chars().take(140).collect();
    Ok(format!("{stem}.{extension}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_directories() {
        assert_eq!(
            clean_file_name("C:\\Users\\李\\訪問記録.DOCX").unwrap(),
            "訪問記録.DOCX"
        );
        assert_eq!(clean_file_name("../../etc/報告.pdf").unwrap(), "報告.pdf");
        assert_eq!(clean_file_name("..").unwrap_err().code, Code::Required);
        let long = format!("{}.pdf", "가".repeat(300));
        let cleaned = clean_file_name(&long).unwrap();
        assert_eq!(cleaned.chars().count(), 144);
        assert!(cleaned.ends_with(".pdf"));
    }

    #[test]
    fn the_content_must_be_of_the_kind_the_name_says() {
        assert_eq!(
            content_type("a.PDF", b"%PDF-1.7 ..."),
            Ok("application/pdf")
        );
        assert_eq!(
            content_type("photo.png", b"\x89PNG\r\n\x1a\n...").unwrap(),
            "image/png"
        );
        assert!(content_type("report.docx", b"PK\x03\x04...").is_ok());
        assert!(
            content_type(
                "table.xls",
                &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]
            )
            .is_ok()
        );
        assert!(content_type("notes.txt", "議事録".as_bytes()).is_ok());
        let mismatch = |name: &str, bytes: &[u8]| content_type(name, bytes).unwrap_err().code;
        assert_eq!(
            mismatch("invoice.pdf", b"MZ\x90\x00"),
            Code::FileContentMismatch
        );
        assert_eq!(
            mismatch("photo.jpg", b"<html><script>"),
            Code::FileContentMismatch
        );
        assert_eq!(
            mismatch("notes.txt", b"bin\x00ary"),
            Code::FileContentMismatch
        );
        assert_eq!(mismatch("run.exe", b"MZ"), Code::FileTypeRefused);
        assert_eq!(mismatch("noextension", b"%PDF-"), Code::FileTypeRefused);
        assert_eq!(mismatch("page.html", b"<html>"), Code::FileTypeRefused);
    }
}
