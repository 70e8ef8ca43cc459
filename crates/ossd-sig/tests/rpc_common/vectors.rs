//! Verbatim strings of the RPC test vectors 9.1 to 9.10 (docs/protocol/rpc.md#test-vectors):
//! captured requests, canonical forms and strings to sign, as the clients produced them.

/// Vector 9.1: string to sign.
pub(crate) const V91_STS: &str = r##"GET&%2F&AccessKeyId%3Dtestid%26Action%3DCreateUser%26Format%3DJSON%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D6a6e0ca6-4557-11e5-86a2-b8e8563dc8d2%26SignatureVersion%3D1.0%26Timestamp%3D2015-08-18T03%253A15%253A45Z%26UserName%3Dtest%26Version%3D2015-05-01"##;

/// Vector 9.2: captured request.
pub(crate) const V92_REQUEST: &str = r##"POST /
x-acs-action: AssumeRole
x-acs-version: 2015-04-01
content-type: application/x-www-form-urlencoded
Host: 127.0.0.1:18080

AccessKeyId=testid&Action=AssumeRole&DurationSeconds=3600&Format=JSON&Policy=%7B%22Version%22%3A%221%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%5B%22oss%3AGetObject%22%2C%22oss%3APutObject%22%5D%2C%22Resource%22%3A%5B%22acs%3Aoss%3A%2A%3A%2A%3Aexamplebucket%2Fdir%2F%2A%22%5D%7D%5D%7D&RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Foss-writer&RoleSessionName=alice&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2024-01-01T00%3A00%3A00Z&Version=2015-04-01&Signature=4g1fyMQR5qMEYyD8ziUZYa%2BbFbY%3D"##;

/// Vector 9.2: canonical string.
pub(crate) const V92_CANONICAL: &str = r##"AccessKeyId=testid&Action=AssumeRole&DurationSeconds=3600&Format=JSON&Policy=%7B%22Version%22%3A%221%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%5B%22oss%3AGetObject%22%2C%22oss%3APutObject%22%5D%2C%22Resource%22%3A%5B%22acs%3Aoss%3A%2A%3A%2A%3Aexamplebucket%2Fdir%2F%2A%22%5D%7D%5D%7D&RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Foss-writer&RoleSessionName=alice&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2024-01-01T00%3A00%3A00Z&Version=2015-04-01"##;

/// Vector 9.2: string to sign.
pub(crate) const V92_STS: &str = r##"POST&%2F&AccessKeyId%3Dtestid%26Action%3DAssumeRole%26DurationSeconds%3D3600%26Format%3DJSON%26Policy%3D%257B%2522Version%2522%253A%25221%2522%252C%2522Statement%2522%253A%255B%257B%2522Effect%2522%253A%2522Allow%2522%252C%2522Action%2522%253A%255B%2522oss%253AGetObject%2522%252C%2522oss%253APutObject%2522%255D%252C%2522Resource%2522%253A%255B%2522acs%253Aoss%253A%252A%253A%252A%253Aexamplebucket%252Fdir%252F%252A%2522%255D%257D%255D%257D%26RoleArn%3Dacs%253Aram%253A%253A1234567890123456%253Arole%252Foss-writer%26RoleSessionName%3Dalice%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26Version%3D2015-04-01"##;

/// Vector 9.3: captured request.
pub(crate) const V93_REQUEST: &str = r##"POST /?RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Foss-writer&RoleSessionName=alice&Policy=%7B%22Version%22%3A%221%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%5B%22oss%3AGetObject%22%2C%22oss%3APutObject%22%5D%2C%22Resource%22%3A%5B%22acs%3Aoss%3A%2A%3A%2A%3Aexamplebucket%2Fdir%2F%2A%22%5D%7D%5D%7D&DurationSeconds=3600&Version=2015-04-01&Action=AssumeRole&Format=JSON&RegionId=cn-hangzhou&Timestamp=2024-01-01T00%3A00%3A00Z&SignatureMethod=HMAC-SHA1&SignatureType=&SignatureVersion=1.0&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&AccessKeyId=testid&Signature=Nx4RbXDXYwxG5AoPeG%2BrRESRPrc%3D
Host: 127.0.0.1:18080
x-acs-action: AssumeRole
x-acs-version: 2015-04-01"##;

/// Vector 9.3: canonical string.
pub(crate) const V93_CANONICAL: &str = r##"AccessKeyId=testid&Action=AssumeRole&DurationSeconds=3600&Format=JSON&Policy=%7B%22Version%22%3A%221%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%5B%22oss%3AGetObject%22%2C%22oss%3APutObject%22%5D%2C%22Resource%22%3A%5B%22acs%3Aoss%3A%2A%3A%2A%3Aexamplebucket%2Fdir%2F%2A%22%5D%7D%5D%7D&RegionId=cn-hangzhou&RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Foss-writer&RoleSessionName=alice&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureType=&SignatureVersion=1.0&Timestamp=2024-01-01T00%3A00%3A00Z&Version=2015-04-01"##;

/// Vector 9.3: string to sign.
pub(crate) const V93_STS: &str = r##"POST&%2F&AccessKeyId%3Dtestid%26Action%3DAssumeRole%26DurationSeconds%3D3600%26Format%3DJSON%26Policy%3D%257B%2522Version%2522%253A%25221%2522%252C%2522Statement%2522%253A%255B%257B%2522Effect%2522%253A%2522Allow%2522%252C%2522Action%2522%253A%255B%2522oss%253AGetObject%2522%252C%2522oss%253APutObject%2522%255D%252C%2522Resource%2522%253A%255B%2522acs%253Aoss%253A%252A%253A%252A%253Aexamplebucket%252Fdir%252F%252A%2522%255D%257D%255D%257D%26RegionId%3Dcn-hangzhou%26RoleArn%3Dacs%253Aram%253A%253A1234567890123456%253Arole%252Foss-writer%26RoleSessionName%3Dalice%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureType%3D%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26Version%3D2015-04-01"##;

/// Vector 9.4: captured request.
pub(crate) const V94_REQUEST: &str = r##"POST /
content-type: application/x-www-form-urlencoded
Host: 127.0.0.1:18080

Action=AssumeRole&RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Foss-writer&RoleSessionName=alice&DurationSeconds=3600&Format=JSON&Version=2015-04-01&AccessKeyId=testid&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=0.5&Timestamp=2024-01-01T00%3A00%3A00.000Z&Policy=%7B%22Version%22%3A%221%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%5B%22oss%3AGetObject%22%2C%22oss%3APutObject%22%5D%2C%22Resource%22%3A%5B%22acs%3Aoss%3A*%3A*%3Aexamplebucket%2Fdir%2F*%22%5D%7D%5D%7D&Signature=%2FZXqEvg1X%2BKOm2zqt31C2kUYy2o%3D"##;

/// Vector 9.4: canonical string.
pub(crate) const V94_CANONICAL: &str = r##"AccessKeyId=testid&Action=AssumeRole&DurationSeconds=3600&Format=JSON&Policy=%7B%22Version%22%3A%221%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%5B%22oss%3AGetObject%22%2C%22oss%3APutObject%22%5D%2C%22Resource%22%3A%5B%22acs%3Aoss%3A%2A%3A%2A%3Aexamplebucket%2Fdir%2F%2A%22%5D%7D%5D%7D&RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Foss-writer&RoleSessionName=alice&SignatureMethod=HMAC-SHA1&SignatureNonce=0.5&SignatureVersion=1.0&Timestamp=2024-01-01T00%3A00%3A00.000Z&Version=2015-04-01"##;

/// Vector 9.4: string to sign.
pub(crate) const V94_STS: &str = r##"POST&%2F&AccessKeyId%3Dtestid%26Action%3DAssumeRole%26DurationSeconds%3D3600%26Format%3DJSON%26Policy%3D%257B%2522Version%2522%253A%25221%2522%252C%2522Statement%2522%253A%255B%257B%2522Effect%2522%253A%2522Allow%2522%252C%2522Action%2522%253A%255B%2522oss%253AGetObject%2522%252C%2522oss%253APutObject%2522%255D%252C%2522Resource%2522%253A%255B%2522acs%253Aoss%253A%252A%253A%252A%253Aexamplebucket%252Fdir%252F%252A%2522%255D%257D%255D%257D%26RoleArn%3Dacs%253Aram%253A%253A1234567890123456%253Arole%252Foss-writer%26RoleSessionName%3Dalice%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D0.5%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00.000Z%26Version%3D2015-04-01"##;

/// Vector 9.5: captured request.
pub(crate) const V95_REQUEST: &str = r##"POST /?Action=AssumeRole&RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Foss-writer&RoleSessionName=alice&Policy=%7B%22Version%22%3A%221%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%5B%22oss%3AGetObject%22%2C%22oss%3APutObject%22%5D%2C%22Resource%22%3A%5B%22acs%3Aoss%3A*%3A*%3Aexamplebucket%2Fdir%2F*%22%5D%7D%5D%7D&DurationSeconds=3600&Format=json&Version=2015-04-01&AccessKeyId=testid&SignatureMethod=HMAC-SHA1&Timestamp=2024-01-01T00%3A00%3A00.000Z&SignatureVersion=1.0&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&Signature=kGgPLyKWA9%2B7EItOO0BugMyQBgQ%3D
host: 127.0.0.1:18443"##;

/// Vector 9.5: canonical string.
pub(crate) const V95_CANONICAL: &str = r##"AccessKeyId=testid&Action=AssumeRole&DurationSeconds=3600&Format=json&Policy=%7B%22Version%22%3A%221%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%5B%22oss%3AGetObject%22%2C%22oss%3APutObject%22%5D%2C%22Resource%22%3A%5B%22acs%3Aoss%3A%2A%3A%2A%3Aexamplebucket%2Fdir%2F%2A%22%5D%7D%5D%7D&RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Foss-writer&RoleSessionName=alice&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2024-01-01T00%3A00%3A00.000Z&Version=2015-04-01"##;

/// Vector 9.5: string to sign.
pub(crate) const V95_STS: &str = r##"POST&%2F&AccessKeyId%3Dtestid%26Action%3DAssumeRole%26DurationSeconds%3D3600%26Format%3Djson%26Policy%3D%257B%2522Version%2522%253A%25221%2522%252C%2522Statement%2522%253A%255B%257B%2522Effect%2522%253A%2522Allow%2522%252C%2522Action%2522%253A%255B%2522oss%253AGetObject%2522%252C%2522oss%253APutObject%2522%255D%252C%2522Resource%2522%253A%255B%2522acs%253Aoss%253A%252A%253A%252A%253Aexamplebucket%252Fdir%252F%252A%2522%255D%257D%255D%257D%26RoleArn%3Dacs%253Aram%253A%253A1234567890123456%253Arole%252Foss-writer%26RoleSessionName%3Dalice%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00.000Z%26Version%3D2015-04-01"##;

/// Vector 9.5: string to sign.
pub(crate) const V95_JS_STS: &str = r##"POST&%2F&AccessKeyId%3Dtestid%26Action%3DAssumeRole%26DurationSeconds%3D3600%26Format%3Djson%26Policy%3D%257B%2522Version%2522%253A%25221%2522%252C%2522Statement%2522%253A%255B%257B%2522Effect%2522%253A%2522Allow%2522%252C%2522Action%2522%253A%255B%2522oss%253AGetObject%2522%252C%2522oss%253APutObject%2522%255D%252C%2522Resource%2522%253A%255B%2522acs%253Aoss%253A*%253A*%253Aexamplebucket%252Fdir%252F*%2522%255D%257D%255D%257D%26RoleArn%3Dacs%253Aram%253A%253A1234567890123456%253Arole%252Foss-writer%26RoleSessionName%3Dalice%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00.000Z%26Version%3D2015-04-01"##;

/// Vector 9.6: captured request.
pub(crate) const V96_REQUEST: &str = r##"GET /?Action=AssumeRole&Format=JSON&Version=2015-04-01&DurationSeconds=3600&RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Foss-writer&RoleSessionName=alice&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&Timestamp=2024-01-01T00%3A00%3A00Z&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&Policy=%7B%22Version%22%3A+%221%22%2C+%22Statement%22%3A+%5B%7B%22Effect%22%3A+%22Allow%22%2C+%22Action%22%3A+%22oss%3A%2A%22%2C+%22Resource%22%3A+%22%2A%22%7D%5D%7D&AccessKeyId=testid&Signature=86%2FeghQ6MW0Hh5jfrnPvtXXAXkE%3D
host: localhost:18443"##;

/// Vector 9.6: canonical string.
pub(crate) const V96_CANONICAL: &str = r##"AccessKeyId=testid&Action=AssumeRole&DurationSeconds=3600&Format=JSON&Policy=%7B%22Version%22%3A%20%221%22%2C%20%22Statement%22%3A%20%5B%7B%22Effect%22%3A%20%22Allow%22%2C%20%22Action%22%3A%20%22oss%3A%2A%22%2C%20%22Resource%22%3A%20%22%2A%22%7D%5D%7D&RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Foss-writer&RoleSessionName=alice&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2024-01-01T00%3A00%3A00Z&Version=2015-04-01"##;

/// Vector 9.6: string to sign.
pub(crate) const V96_STS: &str = r##"GET&%2F&AccessKeyId%3Dtestid%26Action%3DAssumeRole%26DurationSeconds%3D3600%26Format%3DJSON%26Policy%3D%257B%2522Version%2522%253A%2520%25221%2522%252C%2520%2522Statement%2522%253A%2520%255B%257B%2522Effect%2522%253A%2520%2522Allow%2522%252C%2520%2522Action%2522%253A%2520%2522oss%253A%252A%2522%252C%2520%2522Resource%2522%253A%2520%2522%252A%2522%257D%255D%257D%26RoleArn%3Dacs%253Aram%253A%253A1234567890123456%253Arole%252Foss-writer%26RoleSessionName%3Dalice%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26Version%3D2015-04-01"##;

/// Vector 9.6: string to sign.
pub(crate) const V96_PLUS_STS: &str = r##"GET&%2F&AccessKeyId%3Dtestid%26Action%3DAssumeRole%26DurationSeconds%3D3600%26Format%3DJSON%26Policy%3D%257B%2522Version%2522%253A%2B%25221%2522%252C%2B%2522Statement%2522%253A%2B%255B%257B%2522Effect%2522%253A%2B%2522Allow%2522%252C%2B%2522Action%2522%253A%2B%2522oss%253A%252A%2522%252C%2B%2522Resource%2522%253A%2B%2522%252A%2522%257D%255D%257D%26RoleArn%3Dacs%253Aram%253A%253A1234567890123456%253Arole%252Foss-writer%26RoleSessionName%3Dalice%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26Version%3D2015-04-01"##;

/// Vector 9.7: captured request.
pub(crate) const V97_REQUEST: &str = r##"POST /?DurationSeconds=3600&Policy=%7B%22Version%22%3A%221%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%5B%22oss%3AGetObject%22%2C%22oss%3APutObject%22%5D%2C%22Resource%22%3A%5B%22acs%3Aoss%3A%2A%3A%2A%3Aexamplebucket%2Fdir%2F%2A%22%5D%7D%5D%7D&RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Foss-writer&RoleSessionName=alice
host: 127.0.0.1:18080
x-acs-version: 2015-04-01
x-acs-action: AssumeRole
user-agent: AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2
x-acs-date: 2024-01-01T00:00:00Z
x-acs-signature-nonce: 3156853299f313e23d1673dc12e1703d
accept: application/json
x-acs-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
x-acs-credentials-provider: static_ak
Authorization: ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=accept;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=52cfea5072c031800060e3bbaf74a6dc6b16bfeea3de3dbcb401487ac75b7f55"##;

/// Vector 9.7: canonical string.
pub(crate) const V97_CANONICAL: &str = r##"POST
/
DurationSeconds=3600&Policy=%7B%22Version%22%3A%221%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%5B%22oss%3AGetObject%22%2C%22oss%3APutObject%22%5D%2C%22Resource%22%3A%5B%22acs%3Aoss%3A%2A%3A%2A%3Aexamplebucket%2Fdir%2F%2A%22%5D%7D%5D%7D&RoleArn=acs%3Aram%3A%3A1234567890123456%3Arole%2Foss-writer&RoleSessionName=alice
accept:application/json
host:127.0.0.1:18080
user-agent:AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2
x-acs-action:AssumeRole
x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
x-acs-credentials-provider:static_ak
x-acs-date:2024-01-01T00:00:00Z
x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d
x-acs-version:2015-04-01

accept;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"##;

/// Vector 9.7: string to sign.
pub(crate) const V97_STS: &str = r##"ACS3-HMAC-SHA256
4d38131c32d868274db05ce2addb8c67362e3b7b426c6598dade3e7a533abfe3"##;

/// Vector 9.8: captured request.
pub(crate) const V98_REQUEST: &str = r##"POST /
host: 127.0.0.1:18080
x-acs-version: 2015-04-01
x-acs-action: GetCallerIdentity
user-agent: AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2
x-acs-date: 2024-01-01T00:00:00Z
x-acs-signature-nonce: 3156853299f313e23d1673dc12e1703d
accept: application/json
x-acs-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
x-acs-credentials-provider: static_sts
x-acs-accesskey-id: testid
x-acs-security-token: CAIS+test/token==
Authorization: ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=accept;host;user-agent;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,Signature=f04a15e263356e3eebc62de3fa74a8d3d6aeb783a4b70662ff6e762c8428bf4d"##;

/// Vector 9.8: canonical string.
pub(crate) const V98_CANONICAL: &str = r##"POST
/

accept:application/json
host:127.0.0.1:18080
user-agent:AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2
x-acs-accesskey-id:testid
x-acs-action:GetCallerIdentity
x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
x-acs-credentials-provider:static_sts
x-acs-date:2024-01-01T00:00:00Z
x-acs-security-token:CAIS+test/token==
x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d
x-acs-version:2015-04-01

accept;host;user-agent;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"##;

/// Vector 9.8: string to sign.
pub(crate) const V98_STS: &str = r##"ACS3-HMAC-SHA256
8b1d4b68e9990d696f2112ea19e857740c431320e505f9a494000f2f14b1a5e4"##;

/// Vector 9.9: captured request.
pub(crate) const V99_REQUEST: &str = r##"POST /?DisplayName=Bob+Smith&UserName=bob
host: 127.0.0.1:18080
x-acs-version: 2015-05-01
x-acs-action: CreateUser
user-agent: AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2
x-acs-date: 2024-01-01T00:00:00Z
x-acs-signature-nonce: 3156853299f313e23d1673dc12e1703d
accept: application/json
x-acs-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
x-acs-credentials-provider: static_ak
Authorization: ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=accept;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=1abf79a5dae459e7e03edd72b6f234af914685b415edde8f3e29eb9ea529206a"##;

/// Vector 9.9: canonical string.
pub(crate) const V99_CANONICAL: &str = r##"POST
/
DisplayName=Bob%20Smith&UserName=bob
accept:application/json
host:127.0.0.1:18080
user-agent:AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2
x-acs-action:CreateUser
x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
x-acs-credentials-provider:static_ak
x-acs-date:2024-01-01T00:00:00Z
x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d
x-acs-version:2015-05-01

accept;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"##;

/// Vector 9.9: string to sign.
pub(crate) const V99_STS: &str = r##"ACS3-HMAC-SHA256
0e20b932d26b7d65d4c68f99bf8695c927f43afc8d848f31c6796dfc45146560"##;

/// Vector 9.10: canonical string.
pub(crate) const V910_CANONICAL: &str = r##"POST
/
Action=CreatePolicy&Tag.1.Key=env
content-type:application/x-www-form-urlencoded
host:ram.example.com
x-acs-action:CreatePolicy
x-acs-content-sha256:9f57225b0b8c30ecc50b67ece723ccaa9c4c53095ab0083cd38277a4860ed697
x-acs-date:2024-01-01T00:00:00Z
x-acs-signature-nonce:n-0001
x-acs-version:2015-05-01

content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version
9f57225b0b8c30ecc50b67ece723ccaa9c4c53095ab0083cd38277a4860ed697"##;

/// Vector 9.10: string to sign.
pub(crate) const V910_STS: &str = r##"ACS3-HMAC-SHA256
c8ff7c091f5b0c944beef3aa888ff7d954e18965f7995383f1f9961e28a7b222"##;
