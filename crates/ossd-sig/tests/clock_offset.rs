//! `verify_at` with a moved server clock: header request times are compared with the real time
//! (clients need no fake time), signed URLs expire against the effective time.
#![allow(clippy::unwrap_used)]

mod common;

use common::{AK, EXPIRES, RFC_DATE, Req, SECRET, T0, at};
use ossd_sig::{SigError, SigningKeyCache, VerifyTime, v1_authorization, v1_presign_signature};

/// Two hours: far outside the 15-minute window.
const OFFSET: i64 = 7200;

fn times(effective: i64, real: i64) -> VerifyTime {
    VerifyTime {
        effective: at(effective),
        real: at(real),
    }
}

fn check(req: &Req, time: VerifyTime) -> Result<(), SigError> {
    let auth = ossd_sig::parse(&req.view()).unwrap().unwrap();
    ossd_sig::verify_at(&auth, &req.view(), SECRET, time, &SigningKeyCache::new())
}

fn header_signed() -> Req {
    let mut req = Req::new(
        "GET",
        Some("examplebucket"),
        Some("a.txt"),
        "",
        &[("Date", RFC_DATE)],
    );
    let authz = v1_authorization(AK, SECRET, &req.view());
    req.set_header("authorization", &authz);
    req
}

fn url_signed() -> Req {
    let mut req = Req::new("GET", Some("examplebucket"), Some("a.txt"), "", &[]);
    let sig = v1_presign_signature(SECRET, &req.view(), EXPIRES);
    req.set_query("OSSAccessKeyId", AK)
        .set_query("Expires", &EXPIRES.to_string())
        .set_query("Signature", &sig);
    req
}

#[test]
fn header_time_is_checked_against_the_real_clock() {
    let req = header_signed();
    assert_eq!(check(&req, times(T0 + OFFSET, T0)), Ok(()));
    assert!(matches!(
        check(&req, times(T0, T0 + OFFSET)),
        Err(SigError::Skewed { .. })
    ));
    // `verify` is `verify_at` with both times equal.
    assert!(matches!(
        ossd_sig::verify(&req.auth(), &req.view(), SECRET, at(T0 + OFFSET)),
        Err(SigError::Skewed { .. })
    ));
}

#[test]
fn url_expiry_follows_the_effective_clock() {
    let req = url_signed();
    assert_eq!(check(&req, times(EXPIRES, T0)), Ok(()));
    assert_eq!(check(&req, times(EXPIRES + 1, T0)), Err(SigError::Expired));
    assert_eq!(check(&req, times(T0, EXPIRES + 1)), Ok(()));
}
