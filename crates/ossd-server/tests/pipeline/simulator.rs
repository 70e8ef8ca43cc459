//! SimulatePrincipalPolicy agrees with the server: for the same principal, action and resource
//! the simulation's decision (with the bucket's policy and ACLs) is what a signed request gets
//! (docs/protocol/ram.md#simulateprincipalpolicy-ossd-extension).

use serde_json::json;

use crate::support::{ACCOUNT_ID, Creds, Request, Server};

/// Runs the simulation, then the real request; returns the simulation's `EvalDecision`,
/// `DecidedBy` and the request's status.
async fn both(
    s: &Server,
    (user, creds): &(String, Creds),
    action: &str,
    request: Request,
    bucket: &str,
    key: &str,
) -> anyhow::Result<(String, String, u16)> {
    let resource = format!("acs:oss:*:{ACCOUNT_ID}:{bucket}/{key}");
    let sim = s
        .ram(
            "SimulatePrincipalPolicy",
            &[
                ("UserName", user.as_str()),
                ("ActionName", action),
                ("ResourceArn", resource.as_str()),
            ],
        )
        .await?;
    let decision = sim["EvalDecision"].as_str().unwrap_or_default().to_owned();
    let by = sim["DecidedBy"].as_str().unwrap_or_default().to_owned();
    let status = request.v4(creds).send(s).await?.code_num();
    Ok((decision, by, status))
}

#[tokio::test]
async fn simulator_agrees_with_signed_requests() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (guarded, open) = (s.unique("guarded"), s.unique("open"));
    s.create_bucket(&guarded, None).await?;
    s.create_bucket(&open, None).await?;
    // a public ACL and a public policy below (docs/protocol/buckets.md#new-bucket-defaults)
    s.allow_public_access(&guarded).await?;
    s.allow_public_access(&open).await?;
    s.put_object(&guarded, "k", b"k", &[]).await?;
    s.put_object(&open, "k", b"k", &[]).await?;
    s.put_object(&open, "pub", b"p", &[("x-oss-object-acl", "public-read")])
        .await?;
    let policy = json!({"Version": "1", "Statement": [
        {"Sid": "Readers", "Effect": "Allow", "Action": "oss:GetObject", "Principal": ["*"],
         "Resource": format!("acs:oss:*:*:{guarded}/*")},
        {"Sid": "Keep", "Effect": "Deny", "Action": "oss:DeleteObject", "Principal": ["*"],
         "Resource": format!("acs:oss:*:*:{guarded}/*")}
    ]});
    Request::put(&guarded, None)
        .sub("policy")
        .body(policy.to_string())
        .v4(&s.root)
        .send(&s)
        .await?
        .ok()?;
    let plain = s.named_ram_user(None).await?;
    let full = json!({"Version": "1", "Statement": [
        {"Effect": "Allow", "Action": "oss:*", "Resource": "*"}
    ]});
    let admin = s.named_ram_user(Some(&full)).await?;
    let missing = s.unique("missing");
    let cases = [
        // The bucket policy allows what no identity policy does.
        (
            &plain,
            "oss:GetObject",
            Request::get(&guarded, Some("k")),
            &guarded,
            "k",
            ("allowed", "BucketPolicy", 200),
        ),
        // Nothing allows it.
        (
            &plain,
            "oss:GetObject",
            Request::get(&open, Some("k")),
            &open,
            "k",
            ("implicitDeny", "None", 403),
        ),
        // The object's public-read ACL does.
        (
            &plain,
            "oss:GetObject",
            Request::get(&open, Some("pub")),
            &open,
            "pub",
            ("allowed", "Acl", 200),
        ),
        // The identity policy allows; the bucket policy's Deny wins.
        (
            &admin,
            "oss:DeleteObject",
            Request::delete(&guarded, Some("k")),
            &guarded,
            "k",
            ("explicitDeny", "BucketPolicy", 403),
        ),
        (
            &admin,
            "oss:GetObject",
            Request::get(&guarded, Some("k")),
            &guarded,
            "k",
            ("allowed", "IdentityPolicy", 200),
        ),
        // No bucket: 404 NoSuchBucket before any policy.
        (
            &admin,
            "oss:GetObject",
            Request::get(&missing, Some("k")),
            &missing,
            "k",
            ("noSuchBucket", "", 404),
        ),
    ];
    for (who, action, request, bucket, key, want) in cases {
        let (decision, by, status) = both(&s, who, action, request, bucket, key).await?;
        assert_eq!(
            (decision.as_str(), by.as_str(), status),
            want,
            "{action} on {bucket}/{key}"
        );
    }
    Ok(())
}
