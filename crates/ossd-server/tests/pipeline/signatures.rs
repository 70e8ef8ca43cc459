//! Authentication over HTTP: OSS V1 and V4 in the header and in signed URLs, with long-term
//! and STS credentials, and each way a signature is refused.

use time::{Duration, OffsetDateTime};

use crate::support::{Creds, Request, Server};

/// A server with bucket `sig` holding `k` = `v`.
async fn server() -> anyhow::Result<Server> {
    let s = Server::start().await?;
    s.create_bucket("sig", None).await?;
    s.put_object("sig", "k", b"v", &[]).await?;
    Ok(s)
}

fn in_ten_minutes() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp() + 600
}

#[tokio::test]
async fn every_scheme_signs_a_read() -> anyhow::Result<()> {
    let s = server().await?;
    let root = s.root.clone();
    for req in [
        Request::get("sig", Some("k")).v1(&root),
        Request::get("sig", Some("k")).v4(&root),
        Request::get("sig", Some("k")).presign_v1(&root, in_ten_minutes()),
        Request::get("sig", Some("k")).presign_v4(&root, OffsetDateTime::now_utc(), 600),
        Request::get("sig", Some("k"))
            .query("response-content-type", "text/x-test")
            .presign_v4(&root, OffsetDateTime::now_utc(), 600),
    ] {
        let r = req.send(&s).await?;
        r.assert_status(200);
        assert_eq!(&r.body[..], b"v");
    }
    Ok(())
}

#[tokio::test]
async fn a_wrong_secret_does_not_match_and_says_what_was_signed() -> anyhow::Result<()> {
    let s = server().await?;
    let wrong = Creds::new(s.root.id.clone(), "wrong-secret");
    let r = Request::get("sig", Some("k")).v1(&wrong).send(&s).await?;
    r.assert_error(403, "SignatureDoesNotMatch")
        .assert_message(
            "The request signature we calculated does not match the signature you provided. \
             Check your key and signing method.",
        )
        .assert_field("OSSAccessKeyId", &s.root.id);
    assert!(
        r.xml("StringToSign")
            .is_some_and(|s| s.starts_with("GET\n"))
    );
    let r = Request::get("sig", Some("k")).v4(&wrong).send(&s).await?;
    r.assert_error(403, "SignatureDoesNotMatch");
    assert!(r.xml("CanonicalRequest").is_some(), "{}", r.text());
    Ok(())
}

#[tokio::test]
async fn an_unknown_access_key_is_named() -> anyhow::Result<()> {
    let s = server().await?;
    let unknown = Creds::new("LTAI5tDoesNotExist01", "x");
    Request::get("sig", Some("k"))
        .v4(&unknown)
        .send(&s)
        .await?
        .assert_error(403, "InvalidAccessKeyId")
        .assert_message("The OSS Access Key Id you provided does not exist in our records.")
        .assert_field("OSSAccessKeyId", "LTAI5tDoesNotExist01");
    Ok(())
}

#[tokio::test]
async fn request_times_outside_the_window_are_skewed() -> anyhow::Result<()> {
    let s = server().await?;
    for minutes in [-20, 20] {
        let at = OffsetDateTime::now_utc() + Duration::minutes(minutes);
        for req in [
            Request::get("sig", Some("k")).signed_at(at).v1(&s.root),
            Request::get("sig", Some("k")).signed_at(at).v4(&s.root),
        ] {
            req.send(&s)
                .await?
                .assert_error(403, "RequestTimeTooSkewed")
                .assert_message(
                    "The difference between the request time and the current time is too large.",
                );
        }
    }
    Ok(())
}

#[tokio::test]
async fn expired_urls_are_refused() -> anyhow::Result<()> {
    let s = server().await?;
    let past = OffsetDateTime::now_utc().unix_timestamp() - 1;
    Request::get("sig", Some("k"))
        .presign_v1(&s.root, past)
        .send(&s)
        .await?
        .assert_error(403, "AccessDenied")
        .assert_message("Request has expired.");
    let an_hour_ago = OffsetDateTime::now_utc() - Duration::hours(1);
    Request::get("sig", Some("k"))
        .presign_v4(&s.root, an_hour_ago, 60)
        .send(&s)
        .await?
        .assert_error(403, "AccessDenied")
        .assert_message("Request has expired.");
    Ok(())
}

#[tokio::test]
async fn tampered_urls_do_not_match() -> anyhow::Result<()> {
    let s = server().await?;
    for req in [
        Request::get("sig", Some("k")).presign_v1(&s.root, in_ten_minutes()),
        Request::get("sig", Some("k")).presign_v4(&s.root, OffsetDateTime::now_utc(), 600),
    ] {
        req.tamper_query("response-content-type", "text/evil")
            .send(&s)
            .await?
            .assert_error(403, "SignatureDoesNotMatch");
    }
    Ok(())
}

#[tokio::test]
async fn header_and_url_signatures_together_are_refused() -> anyhow::Result<()> {
    let s = server().await?;
    Request::get("sig", Some("k"))
        .presign_v1(&s.root, in_ten_minutes())
        .tamper_header("authorization", &format!("OSS {}:AAAA", s.root.id))
        .tamper_header("date", &ossd_sig::format_rfc1123(OffsetDateTime::now_utc()))
        .send(&s)
        .await?
        .assert_error(400, "InvalidArgument");
    Ok(())
}

#[tokio::test]
async fn sts_credentials_sign_headers_and_urls() -> anyhow::Result<()> {
    let s = server().await?;
    let all = serde_json::json!({
        "Version": "1",
        "Statement": [{"Effect": "Allow", "Action": "oss:*", "Resource": "*"}],
    });
    let sts = s.sts_session(&all, None).await?;
    for req in [
        Request::get("sig", Some("k")).v1(&sts),
        Request::get("sig", Some("k")).v4(&sts),
        Request::get("sig", Some("k")).presign_v1(&sts, in_ten_minutes()),
        Request::get("sig", Some("k")).presign_v4(&sts, OffsetDateTime::now_utc(), 600),
    ] {
        req.send(&s).await?.assert_status(200);
    }
    // The temporary AccessKey without its token is not a key the server knows.
    let bare = Creds::new(sts.id.clone(), sts.secret.clone());
    let r = Request::get("sig", Some("k")).v4(&bare).send(&s).await?;
    r.assert_status(403);
    // A token of another session does not go with this AccessKey.
    let other = s.sts_session(&all, None).await?;
    let mixed = Creds {
        token: other.token.clone(),
        ..sts.clone()
    };
    let r = Request::get("sig", Some("k")).v4(&mixed).send(&s).await?;
    r.assert_status(403);
    Ok(())
}
