//! Email copies of notifications, sent over SMTP by a periodic job.
//!
//! A notice to a user with an address is queued for mail in the transaction
//! that creates it, so no acknowledged change loses its email. The job
//! claims each queued email before sending it (two instances never send the
//! same one at once), records the outcome, and retries temporary failures
//! with growing pauses until `mail.max_attempts`. Delivery is at least once:
//! if an instance dies after the server took a message but before recording
//! it, the message is sent again when the claim runs out.

use std::time::Duration as StdDuration;

use chrono::Duration;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::config::MailConfig;
use crate::i18n::Locale;
use crate::jobs::Job;
use crate::notifications::store::{self, QueuedMail};

/// How long a sender holds an email it is sending.
const CLAIM: Duration = Duration::minutes(10);
/// Emails read from the queue at a time.
const BATCH: i64 = 50;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct DeliverMail {}

impl Job for DeliverMail {
    const KIND: &'static str = "deliver_mail";

    async fn run(&self, app: &App) -> anyhow::Result<()> {
        deliver(app).await?;
        Ok(())
    }
}

/// What one run of the sender did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    /// Failed this time; tried again later unless given up.
    pub failed: usize,
}

/// Sends every queued email that is due. Failures of single emails are
/// recorded on them; only an unreachable database fails the run.
pub async fn deliver(app: &App) -> anyhow::Result<Delivered> {
    let mut done = Delivered::default();
    if !app.config.mail.enabled() {
        return Ok(done);
    }
    let transport = transport(&app.config.mail)?;
    let from: Mailbox = app.config.mail.from.parse()?;
    {
        let mut conn = app.db.pool().acquire().await?;
        store::drop_unaddressed(&mut conn, app.now()).await?;
    }
    loop {
        let now = app.now();
        let due = {
            let mut conn = app.db.pool().acquire().await?;
            store::queued_mail(&mut conn, now, BATCH).await?
        };
        if due.is_empty() {
            return Ok(done);
        }
        for mail in due {
            // No connection is held while the SMTP server answers. The
            // claim runs from now, not from when the batch was read: the
            // emails before this one may have taken longer than a claim.
            let claimed = {
                let at = app.now();
                let mut conn = app.db.pool().acquire().await?;
                store::claim_mail(&mut conn, mail.id, at, at + CLAIM).await?
            };
            if !claimed {
                continue; // another instance has it
            }
            let outcome = match compose(app, &from, &mail) {
                Ok(message) => transport.send(message).await.map_err(|e| {
                    let permanent = e.is_permanent();
                    (format!("{e}"), permanent)
                }),
                // A malformed address will not get better by trying again.
                Err(e) => Err((format!("{e:#}"), true)),
            };
            let now = app.now();
            let mut conn = app.db.pool().acquire().await?;
            match outcome {
                Ok(_) => {
                    store::mail_sent(&mut conn, mail.id, now).await?;
                    done.sent += 1;
                }
                Err((error, permanent)) => {
                    let attempts = mail.mail_attempts + 1;
                    let give_up = permanent || attempts >= app.config.mail.max_attempts;
                    tracing::warn!(
                        notification = mail.id,
                        attempts,
                        give_up,
                        error,
                        "email not sent"
                    );
                    let retry_at = now + crate::jobs::queue::backoff(attempts);
                    store::mail_failed(&mut conn, mail.id, attempts, &error, give_up, retry_at)
                        .await?;
                    done.failed += 1;
                }
            }
        }
    }
}

/// Whether any queued email is due (the scheduler's cheap question).
pub async fn any_due(app: &App) -> anyhow::Result<bool> {
    let mut conn = app.db.pool().acquire().await?;
    Ok(store::mail_due_count(&mut conn, app.now()).await? > 0)
}

fn transport(config: &MailConfig) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    let host = config.smtp_host.trim();
    let builder = match config.security.as_str() {
        "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
        "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
        _ => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
    };
    let mut builder = builder
        .port(config.smtp_port)
        .timeout(Some(StdDuration::from_secs(30)));
    if !config.username.is_empty() {
        builder = builder.credentials(Credentials::new(
            config.username.clone(),
            config.password.clone(),
        ));
    }
    Ok(builder.build())
}

/// The email of one notice, in its recipient's language: the notice as the
/// subject, and a body that names the subject and links to it.
fn compose(app: &App, from: &Mailbox, mail: &QueuedMail) -> anyhow::Result<Message> {
    let locale = mail
        .locale
        .as_deref()
        .and_then(Locale::parse)
        .unwrap_or(Locale::DEFAULT);
    let i18n = &app.i18n;
    let subject = i18n.t_args(
        locale,
        &mail.kind.message_id(),
        &[("title", mail.title.clone())],
    );
    let link = format!(
        "{}{}",
        app.config.mail.public_url.trim_end_matches('/'),
        mail.href()
    );
    let body = [
        i18n.t_args(
            locale,
            "mail-greeting",
            &[("name", mail.display_name.clone())],
        ),
        String::new(),
        subject.clone(),
        String::new(),
        i18n.t_args(locale, "mail-open", &[("link", link)]),
        String::new(),
        "-- ".into(),
        i18n.t(locale, "mail-footer"),
    ]
    .join("\n");
    let to = Mailbox::new(Some(mail.display_name.clone()), mail.email.trim().parse()?);
    Ok(Message::builder()
        .from(from.clone())
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body)?)
}
