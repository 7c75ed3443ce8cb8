//! Sending over SMTP: a small fake server that speaks enough SMTP for lettre records what it
//! gets, or refuses recipients; refused mail is retried later, never lost.

use std::sync::{Arc, Mutex};

use schoolcert_store::Backend;
use schoolcert_store::outbox::{self, Attachment, NewMail};
use schoolcert_testkit::{TestApp, dual_tests};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// Starts a fake SMTP server; returns its port and the messages (DATA) it accepted.
async fn fake_smtp(refuse_recipients: bool) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got: Arc<Mutex<Vec<String>>> = Arc::default();
    let store = got.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let store = store.clone();
            tokio::spawn(async move {
                let (r, mut w) = socket.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 fake ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(buf) = data.as_mut() {
                        if line == "." {
                            store.lock().unwrap().push(data.take().unwrap());
                            w.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            buf.push_str(&line);
                            buf.push('\n');
                        }
                        continue;
                    }
                    let cmd = line.to_ascii_uppercase();
                    let reply: &[u8] = if cmd.starts_with("EHLO") {
                        b"250-fake\r\n250 8BITMIME\r\n"
                    } else if cmd.starts_with("RCPT") && refuse_recipients {
                        b"550 no such user\r\n"
                    } else if cmd.starts_with("DATA") {
                        data = Some(String::new());
                        b"354 go ahead\r\n"
                    } else if cmd.starts_with("QUIT") {
                        w.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    w.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, got)
}

async fn queue(t: &TestApp) -> i64 {
    let mail = NewMail {
        kind: "test".into(),
        board_id: None,
        to: vec!["anna@a.nl".into()],
        subject: "Kwetsbare systemen bij Stichting A".into(),
        body_text: "Zie de bijlage.".into(),
        attachments: vec![Attachment {
            filename: "events.csv".into(),
            content_type: "text/csv".into(),
            data: b"ip,port\n145.97.16.7,3389\n".to_vec(),
        }],
    };
    let mut cx = t.app.db.write().await.unwrap();
    let id = outbox::enqueue(&mut cx, &mail, "<abc@cert.test>", t.app.now())
        .await
        .unwrap();
    cx.commit().await.unwrap();
    id
}

async fn mail_goes_out_over_smtp_with_its_attachment(b: Backend) {
    let (port, got) = fake_smtp(false).await;
    let t = TestApp::start_with(b, |c| c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    let id = queue(&t).await;
    let report = t.run_jobs().await;
    assert_eq!(report.mail.sent, 1, "{report:?}");
    let data = got.lock().unwrap().join("");
    assert!(data.contains("Message-ID: <abc@cert.test>"), "{data}");
    assert!(
        data.contains("Subject: Kwetsbare systemen bij Stichting A"),
        "{data}"
    );
    assert!(data.contains("filename=\"events.csv\""), "{data}");
    let mut cx = t.app.db.read().await.unwrap();
    assert_eq!(outbox::get(&mut cx, id).await.unwrap().status, "sent");
    drop(cx);
    t.finish().await;
}

async fn a_refused_message_is_retried_later_not_lost(b: Backend) {
    let (port, _) = fake_smtp(true).await;
    let t = TestApp::start_with(b, |c| c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    let id = queue(&t).await;
    let report = t.run_jobs().await;
    assert_eq!((report.mail.sent, report.mail.retried), (0, 1));
    let mut cx = t.app.db.read().await.unwrap();
    let m = outbox::get(&mut cx, id).await.unwrap();
    drop(cx);
    assert_eq!(m.status, "pending");
    assert!(
        m.last_error.as_deref().unwrap_or("").contains("550"),
        "{:?}",
        m.last_error
    );
    assert_eq!(
        m.next_attempt_at - t.app.now(),
        chrono::Duration::minutes(1)
    );
    // Not due yet: nothing happens; after the backoff it is tried again.
    assert_eq!(t.run_jobs().await.mail.retried, 0);
    t.clock.advance(chrono::Duration::minutes(2));
    assert_eq!(t.run_jobs().await.mail.retried, 1);
    t.finish().await;
}

dual_tests!(
    mail_goes_out_over_smtp_with_its_attachment,
    a_refused_message_is_retried_later_not_lost
);
