//! The web console (docs/console.md) over HTTP: sign-in verified by the pipeline (a wrong secret
//! or an unknown key refused), the session cookie's attributes, CSRF refusals, sign-out, and a
//! RAM user's console session refused what its policies deny — the console has no privileges of
//! its own.

use serde_json::json;

use crate::console_browser::{Browser, csrf_of};
use crate::support::{Creds, Request, Server};

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_session_cookie() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let mut b = Browser::new(&s);
    let r = b.sign_in(&s.root).await?;
    r.assert_status(303);
    assert_eq!(r.header("location"), Some("/-/console/"));
    let set = r
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("ossd_console="))
        .ok_or_else(|| anyhow::anyhow!("no session cookie"))?;
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    assert!(
        set.contains("Path=/-/console/") && !set.contains("Secure"),
        "{set}"
    );
    let id = b.cookie("ossd_console").unwrap_or_default().to_owned();
    assert_eq!(id.len(), 64, "a 256-bit id");
    let home = b.send("GET", "/-/console/", None, &[]).await?;
    home.assert_status(200);
    assert!(home.text().contains(":root"), "{}", home.text());
    assert!(
        !home.text().contains(&s.root.secret),
        "the secret never reaches a page"
    );
    Ok(())
}

#[tokio::test]
async fn sign_in_refused_for_a_wrong_secret_or_unknown_key() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let mut b = Browser::new(&s);
    let wrong = Creds::new(s.root.id.clone(), "not-the-secret-000000000000000");
    let r = b.sign_in(&wrong).await?;
    r.assert_status(400);
    assert!(r.text().contains("SignatureDoesNotMatch"), "{}", r.text());
    assert!(b.cookie("ossd_console").is_none());
    let unknown = Creds::new("LTAInosuchkey00000000000", "whatever");
    let r = b.sign_in(&unknown).await?;
    assert!(
        r.text().contains("InvalidAccessKeyId.NotFound"),
        "{}",
        r.text()
    );
    assert!(b.cookie("ossd_console").is_none());
    // Counted like any client's failed authentication.
    let metrics = Request::get("-", Some("metrics"))
        .v4(&s.root)
        .send(&s)
        .await?
        .text();
    assert!(
        metrics.contains("ossd_errors_total{code=\"SignatureDoesNotMatch\",dialect=\"rpc\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("ossd_auth_denials_total{reason=\"signature\"} 1"));
    // Without a session every page leads to the sign-in form.
    let r = b.send("GET", "/-/console/users", None, &[]).await?;
    r.assert_status(303);
    assert_eq!(r.header("location"), Some("/-/console/sign-in"));
    Ok(())
}

#[tokio::test]
async fn sign_in_form_needs_its_token() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let mut b = Browser::new(&s);
    let fields = [
        ("access_key_id", s.root.id.as_str()),
        ("access_key_secret", s.root.secret.as_str()),
    ];
    let r = b
        .send("POST", "/-/console/sign-in", Some(&fields), &[])
        .await?;
    r.assert_status(403);
    assert!(b.cookie("ossd_console").is_none());
    Ok(())
}

#[tokio::test]
async fn post_without_csrf_token_is_refused_and_changes_nothing() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let mut b = Browser::new(&s);
    b.sign_in(&s.root).await?.assert_status(303);
    let users = b.send("GET", "/-/console/users", None, &[]).await?;
    let token = csrf_of(&users.text())?;
    let r = b
        .send(
            "POST",
            "/-/console/users",
            Some(&[("user_name", "nocsrf")]),
            &[],
        )
        .await?;
    r.assert_status(403);
    let r = b
        .send(
            "POST",
            "/-/console/users",
            Some(&[("_csrf", "0000"), ("user_name", "nocsrf")]),
            &[],
        )
        .await?;
    r.assert_status(403);
    // The right token from another site is refused too.
    let r = b
        .send(
            "POST",
            "/-/console/users",
            Some(&[("_csrf", token.as_str()), ("user_name", "nocsrf")]),
            &[
                ("origin", "http://evil.example"),
                ("sec-fetch-site", "cross-site"),
            ],
        )
        .await?;
    r.assert_status(403);
    let err = s.ram("GetUser", &[("UserName", "nocsrf")]).await;
    assert!(err.is_err(), "no user was created");
    // With the token the same form works.
    let r = b
        .send(
            "POST",
            "/-/console/users",
            Some(&[("_csrf", token.as_str()), ("user_name", "withcsrf")]),
            &[],
        )
        .await?;
    r.assert_status(303);
    s.ram("GetUser", &[("UserName", "withcsrf")]).await?;
    Ok(())
}

#[tokio::test]
async fn sign_out_ends_the_session() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let mut b = Browser::new(&s);
    b.sign_in(&s.root).await?.assert_status(303);
    let id = b.cookie("ossd_console").unwrap_or_default().to_owned();
    let home = b.send("GET", "/-/console/", None, &[]).await?;
    let token = csrf_of(&home.text())?;
    b.send(
        "POST",
        "/-/console/sign-out",
        Some(&[("_csrf", token.as_str())]),
        &[],
    )
    .await?
    .assert_status(303);
    assert!(b.cookie("ossd_console").is_none());
    // The old id no longer opens a session.
    b.cookies.push(("ossd_console".to_owned(), id));
    let r = b.send("GET", "/-/console/", None, &[]).await?;
    r.assert_status(303);
    assert_eq!(r.header("location"), Some("/-/console/sign-in"));
    Ok(())
}

#[tokio::test]
async fn a_ram_users_session_is_refused_what_its_policy_denies() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let policy = json!({"Version": "1", "Statement": [
        {"Effect": "Allow", "Action": ["ram:ListUsers", "ram:GetUser"], "Resource": "*"},
        {"Effect": "Deny", "Action": "ram:CreateUser", "Resource": "*"}
    ]});
    let user = s.ram_user(Some(&policy)).await?;
    let mut b = Browser::new(&s);
    b.sign_in(&user).await?.assert_status(303);
    let list = b.send("GET", "/-/console/users", None, &[]).await?;
    list.assert_status(200);
    let token = csrf_of(&list.text())?;
    let r = b
        .send(
            "POST",
            "/-/console/users",
            Some(&[("_csrf", token.as_str()), ("user_name", "sneaky")]),
            &[],
        )
        .await?;
    r.assert_status(403);
    let page = r.text();
    assert!(page.contains("NoPermission"), "{page}");
    assert!(page.contains("AccessDeniedDetail"), "{page}");
    assert!(page.contains("ExplicitDeny"), "{page}");
    assert!(s.ram("GetUser", &[("UserName", "sneaky")]).await.is_err());
    // An action its policies never allowed is refused as well (implicitly).
    let r = b
        .send(
            "POST",
            "/-/console/groups",
            Some(&[("_csrf", token.as_str()), ("group_name", "g")]),
            &[],
        )
        .await?;
    r.assert_status(403);
    assert!(r.text().contains("NoPermission"));
    Ok(())
}

#[tokio::test]
async fn simulate_principal_policy_names_the_deciding_statement() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let policy = json!({"Version": "1", "Statement": [
        {"Effect": "Allow", "Action": "oss:*", "Resource": "*"},
        {"Sid": "NoDelete", "Effect": "Deny", "Action": "oss:DeleteObject", "Resource": "*",
         "Condition": {"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}}}
    ]});
    let (user, creds) = s.named_ram_user(Some(&policy)).await?;
    // The simulation looks at the bucket as a request does: it must exist.
    s.create_bucket("simb", None).await?;
    let resource = format!("acs:oss:*:{}:simb/k", crate::support::ACCOUNT_ID);
    let sim = |ip: &'static str| {
        let user = user.clone();
        let resource = resource.clone();
        let s = &s;
        async move {
            let context = json!({ "acs:SourceIp": ip }).to_string();
            s.ram(
                "SimulatePrincipalPolicy",
                &[
                    ("UserName", user.as_str()),
                    ("ActionName", "oss:DeleteObject"),
                    ("ResourceArn", resource.as_str()),
                    ("ContextEntries", context.as_str()),
                ],
            )
            .await
        }
    };
    let denied = sim("10.1.2.3").await?;
    assert_eq!(denied["EvalDecision"], "explicitDeny", "{denied}");
    assert_eq!(denied["MatchedStatement"]["StatementIndex"], 1);
    assert_eq!(denied["MatchedStatement"]["Sid"], "NoDelete");
    assert_eq!(
        denied["AccessDeniedDetail"]["NoPermissionType"],
        "ExplicitDeny"
    );
    let allowed = sim("192.0.2.1").await?;
    assert_eq!(allowed["EvalDecision"], "allowed", "{allowed}");
    assert_eq!(allowed["MatchedStatement"]["StatementIndex"], 0);
    // The simulation is authorized like any RAM action: this user may not run it.
    let reply = s
        .rpc_form(&crate::support::ram::signed_params(
            "POST",
            "SimulatePrincipalPolicy",
            crate::support::ram::RAM_VERSION,
            &[
                ("UserName", user.as_str()),
                ("ActionName", "oss:GetObject"),
                ("ResourceArn", resource.as_str()),
            ],
            &creds,
        ))
        .await?;
    reply.assert_status(403);
    assert_eq!(reply.json()?["Code"], "NoPermission");
    Ok(())
}

#[tokio::test]
async fn assume_role_shows_credentials_and_signs_in_with_them() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let (user, creds) = s.named_ram_user(None).await?;
    s.ram(
        "AttachPolicyToUser",
        &[
            ("PolicyType", "System"),
            ("PolicyName", "AliyunSTSAssumeRoleAccess"),
            ("UserName", &user),
        ],
    )
    .await?;
    let trust = json!({"Version": "1", "Statement": [{"Action": "sts:AssumeRole",
        "Effect": "Allow", "Principal": {"RAM": [format!("acs:ram::{}:root", crate::support::ACCOUNT_ID)]}}]})
    .to_string();
    let created = s
        .ram(
            "CreateRole",
            &[("RoleName", "reader"), ("AssumeRolePolicyDocument", &trust)],
        )
        .await?;
    let arn = created["Role"]["Arn"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let mut b = Browser::new(&s);
    b.sign_in(&creds).await?.assert_status(303);
    let home = b.send("GET", "/-/console/", None, &[]).await?;
    let token = csrf_of(&home.text())?;
    // Below the minimum duration: STS refuses, and the page says so.
    let short = [
        ("_csrf", token.as_str()),
        ("role_arn", arn.as_str()),
        ("session_name", "console"),
        ("duration", "600"),
    ];
    let r = b
        .send("POST", "/-/console/roles/reader/assume", Some(&short), &[])
        .await?;
    r.assert_status(400);
    let fields = [
        ("_csrf", token.as_str()),
        ("role_arn", arn.as_str()),
        ("session_name", "console"),
        ("duration", "900"),
    ];
    let r = b
        .send("POST", "/-/console/roles/reader/assume", Some(&fields), &[])
        .await?;
    r.assert_status(200);
    let page = r.text();
    let between = |start: &str| -> anyhow::Result<String> {
        let i = page
            .find(start)
            .ok_or_else(|| anyhow::anyhow!("{start} not in {page}"))?
            + start.len();
        Ok(page[i..].split('<').next().unwrap_or_default().to_owned())
    };
    let id = between("id=\"sts-key-id\">")?;
    let secret = between("id=\"sts-key-secret\" class=\"secret\">")?;
    let sts_token = between("id=\"sts-token\">")?;
    assert!(id.starts_with("STS."), "{id}");
    assert!(page.contains("export OSSD_SECURITY_TOKEN="), "CLI snippet");
    assert!(
        page.contains("oss2.StsAuth(") && page.contains("stsToken:"),
        "SDK snippets"
    );
    assert!(
        page.contains(&format!("http://{}", s.authority())),
        "the endpoint the browser used"
    );
    let switch = [
        ("_csrf", token.as_str()),
        ("access_key_id", id.as_str()),
        ("access_key_secret", secret.as_str()),
        ("security_token", sts_token.as_str()),
    ];
    b.send("POST", "/-/console/switch", Some(&switch), &[])
        .await?
        .assert_status(303);
    let home = b.send("GET", "/-/console/", None, &[]).await?;
    assert!(
        home.text().contains(":assumed-role/reader/console"),
        "{}",
        home.text()
    );
    Ok(())
}
