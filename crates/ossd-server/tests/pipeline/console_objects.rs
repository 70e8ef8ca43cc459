//! The console's object routes over HTTP (docs/console.md#objects): an upload streamed through
//! `PUT /-/console/buckets/<b>/upload` and a multipart upload through the console's routes land
//! byte for byte, a download streams the object back as an attachment, a refusal is the server's
//! (JSON for the script, a page for the browser), and a PUT without the session's CSRF token is
//! refused before anything is stored.

use bytes::Bytes;

use crate::console_browser::Browser;
use crate::support::{Request, Server};

/// `len` bytes of a repeating pattern.
fn payload(len: usize) -> Bytes {
    (0..len)
        .map(|i| (i % 251) as u8)
        .collect::<Vec<u8>>()
        .into()
}

#[tokio::test]
async fn an_upload_streams_through_the_console_and_downloads_as_an_attachment() -> anyhow::Result<()>
{
    let s = Server::start().await?;
    let bucket = s.unique("console-up");
    s.create_bucket(&bucket, None).await?;
    let mut b = Browser::signed_in(&s, &s.root).await?;
    let body = payload(3 * 1024 * 1024 + 7);
    let r = b
        .change(
            "PUT",
            &format!("/-/console/buckets/{bucket}/upload?key=dir%2Fa%20b.bin"),
            &[("content-type", "application/x-test")],
            body.clone(),
        )
        .await?;
    r.assert_status(200);
    let etag = r.json()?["etag"].as_str().unwrap_or_default().to_owned();
    let stored = Request::get(&bucket, Some("dir/a b.bin"))
        .v4(&s.root)
        .send(&s)
        .await?;
    stored.assert_status(200);
    assert_eq!(stored.body, body);
    assert_eq!(stored.header("etag"), Some(etag.as_str()));
    assert_eq!(stored.header("content-type"), Some("application/x-test"));
    // While the console is served, objects never run as documents of its origin
    // (docs/console.md#objects-and-the-consoles-origin).
    assert_eq!(stored.header("content-security-policy"), Some("sandbox"));
    assert_eq!(stored.header("x-content-type-options"), Some("nosniff"));

    let dl = b
        .get(&format!(
            "/-/console/buckets/{bucket}/download?key=dir%2Fa%20b.bin"
        ))
        .await?;
    dl.assert_status(200);
    assert_eq!(dl.body, body);
    assert_eq!(
        dl.header("content-disposition"),
        Some("attachment; filename=\"a b.bin\"; filename*=UTF-8''a%20b.bin")
    );
    assert_eq!(dl.header("content-type"), Some("application/x-test"));
    Ok(())
}

#[tokio::test]
async fn a_multipart_upload_through_the_console_routes() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let bucket = s.unique("console-mp");
    s.create_bucket(&bucket, None).await?;
    let mut b = Browser::signed_in(&s, &s.root).await?;
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let base = format!("/-/console/buckets/{bucket}");
    let r = b
        .change(
            "POST",
            &format!("{base}/multipart/initiate"),
            &form,
            Bytes::from("key=big.bin"),
        )
        .await?;
    r.assert_status(200);
    let upload_id = r.json()?["uploadId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!upload_id.is_empty());
    let part1 = payload(5 * 1024 * 1024);
    let part2 = payload(1000);
    for (n, part) in [(1, &part1), (2, &part2)] {
        let path = format!("{base}/part?key=big.bin&uploadId={upload_id}&partNumber={n}");
        b.change("PUT", &path, &[], part.clone())
            .await?
            .assert_status(200);
    }
    let done = b
        .change(
            "POST",
            &format!("{base}/multipart/complete"),
            &form,
            Bytes::from(format!("key=big.bin&uploadId={upload_id}")),
        )
        .await?;
    done.assert_status(200);
    assert!(
        done.json()?["etag"]
            .as_str()
            .is_some_and(|e| e.ends_with("-2\""))
    );
    let stored = Request::get(&bucket, Some("big.bin"))
        .v4(&s.root)
        .send(&s)
        .await?;
    assert_eq!(stored.body, [part1, part2].concat());

    // an abort: the upload is gone, a part for it is refused with the server's code
    let r = b
        .change(
            "POST",
            &format!("{base}/multipart/initiate"),
            &form,
            Bytes::from("key=gone.bin"),
        )
        .await?;
    let upload_id = r.json()?["uploadId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    b.change(
        "POST",
        &format!("{base}/multipart/abort"),
        &form,
        Bytes::from(format!("key=gone.bin&uploadId={upload_id}")),
    )
    .await?
    .assert_status(200);
    let path = format!("{base}/part?key=gone.bin&uploadId={upload_id}&partNumber=1");
    let refused = b.change("PUT", &path, &[], payload(10)).await?;
    refused.assert_status(404);
    assert_eq!(refused.json()?["Code"], "NoSuchUpload");
    Ok(())
}

#[tokio::test]
async fn a_console_put_needs_the_csrf_token_and_a_session() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let bucket = s.unique("console-csrf");
    s.create_bucket(&bucket, None).await?;
    let mut b = Browser::signed_in(&s, &s.root).await?;
    let path = format!("/-/console/buckets/{bucket}/upload?key=x.bin");
    let r = b.request("PUT", &path, &[], payload(100)).await?;
    r.assert_status(403);
    let wrong = [("x-csrf-token", "0000")];
    b.request("PUT", &path, &wrong, payload(100))
        .await?
        .assert_status(403);
    let mut anonymous = Browser::new(&s);
    let r = anonymous.request("PUT", &path, &[], payload(100)).await?;
    r.assert_status(303);
    assert_eq!(r.header("location"), Some("/-/console/sign-in"));
    let none = Request::get(&bucket, Some("x.bin"))
        .v4(&s.root)
        .send(&s)
        .await?;
    none.assert_status(404);
    // a download of a missing key: the server's refusal as a page
    let page = b
        .get(&format!("/-/console/buckets/{bucket}/download?key=x.bin"))
        .await?;
    page.assert_status(404);
    assert!(page.text().contains("NoSuchKey"), "{}", page.text());
    Ok(())
}
