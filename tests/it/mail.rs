//! Email: notices reach their recipients over SMTP, in each one's language,
//! once, with retries when the server is briefly unavailable. The server is
//! a real SMTP server process on loopback (`tests/support/smtp_sink.py`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

use crate::helpers::{TestApp, set_city_time};
use liaison::demands::categories::CategoryDraft;
use liaison::notifications::mail::{Delivered, deliver};

/// The SMTP server process; killed when dropped.
struct SmtpSink {
    child: Child,
    port: u16,
    folder: tempfile::TempDir,
}

impl SmtpSink {
    fn start() -> SmtpSink {
        let folder = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(folder.path())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs the SMTP server for the mail tests");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the SMTP server printed {line:?}, not its port"));
        SmtpSink {
            child,
            port,
            folder,
        }
    }

    /// The messages received so far, in order.
    fn received(&self) -> Vec<Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.folder.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|f| serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap())
            .collect()
    }

    /// While refusing, the server answers every message with 451.
    fn refuse(&self, refuse: bool) {
        let flag = self.folder.path().join("refuse");
        if refuse {
            std::fs::write(flag, "").unwrap();
        } else {
            std::fs::remove_file(flag).unwrap();
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn with_mail(sink: &SmtpSink) -> TestApp {
    let port = sink.port;
    TestApp::builder()
        .config(move |c| {
            c.mail.smtp_host = "127.0.0.1".into();
            c.mail.smtp_port = port;
            c.mail.security = "none".into();
            c.mail.from = "大连市外资企业服务 <liaison@dalian.example>".into();
            c.mail.public_url = "https://liaison.dalian.example/".into();
            c.mail.max_attempts = 3;
        })
        .spawn()
        .await
}

async fn set_contact(t: &TestApp, user: i64, email: Option<&str>, locale: &str) {
    sqlx::query("UPDATE users SET email = $1, locale = $2 WHERE id = $3")
        .bind(email)
        .bind(locale)
        .bind(user)
        .execute(t.app.db.pool())
        .await
        .unwrap();
}

async fn bureau(t: &TestApp, name: &str) -> i64 {
    let city = t.department("大连市人民政府", "city", None).await;
    t.department(name, "bureau", Some(city)).await
}

/// A category led by `dept`, so accepted demands can be assigned there.
async fn led_category(t: &TestApp, dept: i64) -> i64 {
    t.category(CategoryDraft {
        name_zh: "通关".into(),
        lead_department_id: Some(dept),
        ..Default::default()
    })
    .await
}

async fn sent(t: &TestApp) -> Delivered {
    deliver(&t.app).await.unwrap()
}

#[tokio::test]
async fn notices_are_emailed_once_in_each_recipients_language_and_muted_ones_not_at_all() {
    let sink = SmtpSink::start();
    let t = with_mail(&sink).await;
    set_city_time(&t, "2026-11-16 10:00");
    let dept = bureau(&t, "大连市商务局").await;
    let category = led_category(&t, dept).await;
    let e = t.enterprise("Hanbit Logistics", "KR").await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let reader = t.user("tanaka", "officer", Some(dept), None).await;
    let muted = t.user("suzuki", "officer", Some(dept), None).await;
    let unaddressed = t.user("sato", "officer", Some(dept), None).await;
    let ent = t.user("kim", "enterprise", None, Some(e)).await;
    set_contact(&t, reader.id, Some("tanaka@dalian.example"), "ja").await;
    set_contact(&t, muted.id, Some("suzuki@dalian.example"), "ja").await;
    set_contact(&t, unaddressed.id, None, "ja").await;
    set_contact(&t, ent.id, Some("kim@hanbit.example"), "ko").await;
    t.api(&t.token(muted.id).await)
        .put_json(
            "/api/v1/notifications/mutes",
            json!({"kinds": ["assigned"]}),
        )
        .await;

    let (_, d) = t
        .api(&t.token(ent.id).await)
        .post(
            "/api/v1/demands",
            json!({"title": "통관 지연", "body": "부품 통관이 2주째 지연되고 있습니다."}),
        )
        .await;
    let id = d["id"].as_i64().unwrap();
    let steps = format!("/api/v1/demands/{id}/steps");
    let coord = t.api(&t.token(coord.id).await);
    coord
        .post(&steps, json!({"action": "accept", "category_id": category}))
        .await;
    let (_, assigned) = coord
        .post(
            &steps,
            json!({"action": "assign", "lead_department_id": dept}),
        )
        .await;
    assert_eq!(assigned["state"], "assigned", "{assigned}");

    // Two instances send at once: each email goes out once.
    let second = liaison::App::open_with_clock(t.app.config.as_ref().clone(), t.app.clock.clone())
        .await
        .unwrap();
    let (a, b) = tokio::join!(deliver(&t.app), deliver(&second));
    assert_eq!(
        a.unwrap().sent + b.unwrap().sent,
        1,
        "only the officer who has an address and did not mute assignments"
    );
    let mails = sink.received();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail["envelope_to"], json!(["tanaka@dalian.example"]));
    assert_eq!(
        mail["subject"], "要望があなたの部門に回付されました：통관 지연",
        "the subject is the notice, in Japanese, with the demand's own title"
    );
    let body = mail["body"].as_str().unwrap();
    assert!(body.contains("tanaka name 様"), "{body}");
    assert!(
        body.contains(&format!("https://liaison.dalian.example/demands/{id}")),
        "{body}"
    );
    assert!(
        mail["from"]
            .as_str()
            .unwrap()
            .contains("liaison@dalian.example")
    );

    assert_eq!(
        sent(&t).await,
        Delivered::default(),
        "nothing is sent twice"
    );
    assert_eq!(sink.received().len(), 1);

    // The reply goes to the enterprise, in Korean.
    let officer = t.api(&t.token(reader.id).await);
    officer.post(&steps, json!({"action": "sign_for"})).await;
    let (_, replied) = officer
        .post(
            &steps,
            json!({"action": "reply", "outcome": "resolved", "text": "세관과 협의하여 통관되었습니다."}),
        )
        .await;
    assert_eq!(replied["state"], "replied", "{replied}");
    assert_eq!(sent(&t).await.sent, 1);
    let mails = sink.received();
    assert_eq!(mails[1]["envelope_to"], json!(["kim@hanbit.example"]));
    assert_eq!(
        mails[1]["subject"],
        "요청에 답변이 등록되었습니다: 통관 지연"
    );
    assert!(mails[1]["body"].as_str().unwrap().contains("kim name 님께"));

    let states: Vec<(i64, Option<String>)> =
        sqlx::query_as("SELECT user_id, mail_state FROM notifications ORDER BY id")
            .fetch_all(t.app.db.pool())
            .await
            .unwrap();
    assert_eq!(
        states,
        vec![
            (reader.id, Some("sent".into())),
            (unaddressed.id, None),
            (ent.id, Some("sent".into())),
        ],
        "the muted officer got no notice; the one without an address only the in-app one"
    );
}

#[tokio::test]
async fn a_refusing_server_is_retried_later_and_given_up_after_the_last_try() {
    let sink = SmtpSink::start();
    let t = with_mail(&sink).await;
    set_city_time(&t, "2026-11-16 10:00");
    let dept = bureau(&t, "大连市税务局").await;
    let category = led_category(&t, dept).await;
    let e = t.enterprise("Kaigaku Precision", "JP").await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let officer = t.user("wang", "officer", Some(dept), None).await;
    set_contact(&t, officer.id, Some("wang@dalian.example"), "zh-CN").await;
    let coord = t.api(&t.token(coord.id).await);
    let assign = |title: &'static str| {
        let coord = &coord;
        async move {
            let (_, d) = coord
                .post(
                    "/api/v1/demands",
                    json!({"enterprise_id": e, "title": title, "body": "..."}),
                )
                .await;
            let steps = format!("/api/v1/demands/{}/steps", d["id"]);
            coord
                .post(&steps, json!({"action": "accept", "category_id": category}))
                .await;
            coord
                .post(
                    &steps,
                    json!({"action": "assign", "lead_department_id": dept}),
                )
                .await;
        }
    };
    assign("出口退税").await;

    sink.refuse(true);
    assert_eq!(sent(&t).await, Delivered { sent: 0, failed: 1 });
    assert_eq!(sent(&t).await, Delivered::default(), "not before the pause");
    sink.refuse(false);
    crate::helpers::advance(&t, 1);
    assert_eq!(sent(&t).await, Delivered { sent: 1, failed: 0 });
    let mails = sink.received();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0]["subject"], "有诉求交办至您的部门：出口退税");

    // A server that keeps refusing: three tries, then the email is given up
    // (the in-app notice stays).
    assign("用电报装").await;
    sink.refuse(true);
    for _ in 0..3 {
        assert_eq!(sent(&t).await.failed, 1);
        crate::helpers::advance(&t, 60);
    }
    assert_eq!(sent(&t).await, Delivered::default());
    let (state, attempts, error): (String, i64, String) = sqlx::query_as(
        "SELECT mail_state, mail_attempts, mail_error FROM notifications ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(t.app.db.pool())
    .await
    .unwrap();
    assert_eq!((state.as_str(), attempts), ("failed", 3));
    assert!(error.contains("451"), "{error}");
    let (_, bell) = t
        .api(&t.token(officer.id).await)
        .get("/api/v1/notifications")
        .await;
    assert_eq!(bell["unread"], 2);
}

/// A demand assigned to a department whose officer has an email address.
async fn assign_to_an_officer_with_an_address(t: &TestApp) {
    let dept = bureau(t, "大连市商务局").await;
    let category = led_category(t, dept).await;
    let e = t.enterprise("Hanbit Logistics", "KR").await;
    let coord = t.user("coord", "coordinator", None, None).await;
    let officer = t.user("tanaka", "officer", Some(dept), None).await;
    set_contact(t, officer.id, Some("tanaka@dalian.example"), "en").await;
    let coord = t.api(&t.token(coord.id).await);
    let (_, d) = coord
        .post(
            "/api/v1/demands",
            json!({"enterprise_id": e, "title": "Customs delay", "body": "..."}),
        )
        .await;
    let steps = format!("/api/v1/demands/{}/steps", d["id"]);
    coord
        .post(&steps, json!({"action": "accept", "category_id": category}))
        .await;
    let (_, assigned) = coord
        .post(
            &steps,
            json!({"action": "assign", "lead_department_id": dept}),
        )
        .await;
    assert_eq!(assigned["state"], "assigned", "{assigned}");
}

#[tokio::test]
async fn the_worker_sends_queued_mail_when_mail_is_on_and_queues_nothing_when_off() {
    let sink = SmtpSink::start();
    let t = with_mail(&sink).await;
    set_city_time(&t, "2026-11-16 10:00");
    assign_to_an_officer_with_an_address(&t).await;
    liaison::jobs::worker::schedule_periodic(&t.app)
        .await
        .unwrap();
    liaison::jobs::worker::drain(&t.app).await.unwrap();
    let mut subjects: Vec<String> = sink
        .received()
        .iter()
        .map(|m| m["subject"].as_str().unwrap().to_string())
        .collect();
    subjects.sort();
    assert_eq!(
        subjects,
        [
            "Deadline approaching: Customs delay",
            "Demand sent to your department: Customs delay"
        ],
        "the periodic jobs sent the assignment and supervision's notice that it is due tomorrow"
    );

    // Without an SMTP host, notices are in the app only.
    let quiet = TestApp::spawn().await;
    assign_to_an_officer_with_an_address(&quiet).await;
    let notices: Vec<Option<String>> = sqlx::query_scalar("SELECT mail_state FROM notifications")
        .fetch_all(quiet.app.db.pool())
        .await
        .unwrap();
    assert_eq!(notices, [None], "the notice, in the app only");
    assert_eq!(deliver(&quiet.app).await.unwrap(), Delivered::default());
}
