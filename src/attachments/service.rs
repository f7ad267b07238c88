//! Attaching, listing, downloading and removing files. Every path checks
//! the owner's permission first, and a file of an owner the actor may not
//! see is "not found", not "forbidden": its existence is not shown.

use sha2::{Digest, Sha256};

use crate::app::App;
use crate::attachments::model::{Attachment, Owner, clean_file_name, content_type};
use crate::attachments::store::{self, NewAttachment};
use crate::auth::permission::allows;
use crate::auth::{Action, Actor, authorize};
use crate::db::events::{self, Entity};
use crate::db::{Conn, Tx};
use crate::error::{Code, Error, FieldError, Result};

/// Locks the owner's row for the transaction, or "not found".
async fn lock_owner(tx: &mut Tx, owner: Owner) -> Result<()> {
    let exists = match owner {
        Owner::Engagement(id) => crate::engagements::store::lock(tx, id).await?,
        Owner::Demand(id) => crate::demands::store::get_for_update(tx, id)
            .await?
            .is_some(),
        Owner::Task(id) => crate::plans::tasks::lock(tx, id).await?,
    };
    if exists { Ok(()) } else { Err(Error::NotFound) }
}

/// Whether the actor may see (or, with `manage`, add and remove) the
/// owner's files: the owner's own rules, through the permission module.
pub async fn check(conn: &mut Conn, actor: &Actor, owner: Owner, manage: bool) -> Result<()> {
    match owner {
        Owner::Engagement(_) => authorize(
            actor,
            if manage {
                Action::ManageEngagements
            } else {
                Action::ViewEngagements
            },
        ),
        Owner::Demand(id) => {
            let (demand, _, facts) = crate::demands::service::visible(conn, actor, id).await?;
            if !manage {
                return Ok(());
            }
            // The enterprise adds papers to its open demand; staff who
            // work on it add theirs.
            let allowed = demand.state.is_open()
                && (allows(actor, Action::AnswerDemand(facts))
                    || allows(actor, Action::ContributeToDemand(facts)));
            if allowed {
                Ok(())
            } else {
                Err(Error::Forbidden)
            }
        }
        Owner::Task(id) => crate::plans::tasks::check_files(conn, actor, id, manage).await,
    }
}

pub async fn list(app: &App, actor: &Actor, owner: Owner) -> Result<Vec<Attachment>> {
    let mut conn = app.db.pool().acquire().await?;
    check(&mut conn, actor, owner, false).await?;
    Ok(store::list(&mut conn, owner).await?)
}

/// Attaches a file: its name and content must agree on an accepted type, its size is limited by
/// `attachments.max_file_mb`, and the attachment is an event on the owner.
pub async fn attach(
    app: &App,
    actor: &Actor,
    owner: Owner,
    file_name: &str,
    bytes: &[u8],
) -> Result<Attachment> {
    // The file is checked and hashed before the owner is locked (on
    // SQLite the lock stops every writer); its problems are reported after
    // the permission check all the same.
    let file = checked_file(app, file_name, bytes);
    // Checked on the locked owner, so it cannot close in between.
    let mut tx = app.db.begin().await?;
    lock_owner(&mut tx, owner).await?;
    check(&mut tx, actor, owner, true).await?;
    let (file_name, content_type, sha256) = file?;
    let now = app.now();
    store::put_blob(&mut tx, &sha256, bytes, now).await?;
    let new = NewAttachment {
        owner,
        file_name: &file_name,
        content_type,
        size: bytes.len() as i64,
        sha256: &sha256,
        uploaded_by: actor.user_id,
    };
    let attachment = store::insert(&mut tx, &new, now).await?;
    events::record(
        &mut tx,
        actor,
        now,
        Entity::new(owner.kind(), owner.id()),
        "attach",
        None::<&()>,
        Some(&attachment),
    )
    .await?;
    tx.commit().await?;
    Ok(attachment)
}

/// The cleaned name, content type and SHA-256 of an acceptable file.
fn checked_file(
    app: &App,
    file_name: &str,
    bytes: &[u8],
) -> Result<(String, &'static str, String)> {
    let file_name = clean_file_name(file_name).map_err(one)?;
    let max_mb = app.config.attachments.max_file_mb;
    if bytes.len() as u64 > max_mb * 1024 * 1024 {
        return Err(one(
            FieldError::new("file", Code::FileTooLarge).with("max", max_mb)
        ));
    }
    if bytes.is_empty() {
        return Err(Error::field("file", Code::FileIsEmpty));
    }
    let content_type = content_type(&file_name, bytes).map_err(one)?;
    let sha256 = format!("{:x}", Sha256::digest(bytes));
    Ok((file_name, content_type, sha256))
}

fn one(e: FieldError) -> Error {
    Error::Invalid(vec![e])
}

/// An attachment the actor may see, or "not found".
async fn visible(app: &App, actor: &Actor, id: i64) -> Result<(Attachment, Owner)> {
    let mut conn = app.db.pool().acquire().await?;
    let attachment = store::get(&mut conn, id).await?.ok_or(Error::NotFound)?;
    let owner = attachment.owner().ok_or(Error::NotFound)?;
    check(&mut conn, actor, owner, false)
        .await
        .map_err(|_| Error::NotFound)?;
    Ok((attachment, owner))
}

/// The file's record and bytes, for a download.
pub async fn download(app: &App, actor: &Actor, id: i64) -> Result<(Attachment, Vec<u8>)> {
    let (attachment, _) = visible(app, actor, id).await?;
    let mut conn = app.db.pool().acquire().await?;
    let bytes = store::blob(&mut conn, &attachment.sha256)
        .await?
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("attachment {id} has no content")))?;
    Ok((attachment, bytes))
}

/// Takes a file off its record (the bytes stay, for the event log).
pub async fn remove(app: &App, actor: &Actor, id: i64) -> Result<Attachment> {
    let (_, owner) = visible(app, actor, id).await?;
    let mut tx = app.db.begin().await?;
    lock_owner(&mut tx, owner).await?;
    check(&mut tx, actor, owner, true).await?;
    let now = app.now();
    let removed = store::remove(&mut tx, id, now)
        .await?
        .ok_or(Error::NotFound)?;
    events::record(
        &mut tx,
        actor,
        now,
        Entity::new(owner.kind(), owner.id()),
        "remove_attachment",
        None::<&()>,
        Some(&removed),
    )
    .await?;
    tx.commit().await?;
    Ok(removed)
}
