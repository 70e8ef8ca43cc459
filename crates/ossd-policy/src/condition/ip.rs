//! IP address patterns of `IpAddress` / `NotIpAddress` / `IpAddressIncludeBorder`
//! (docs/protocol/policy.md#conditions).

use std::net::IpAddr;

use ipnet::IpNet;

use crate::wildcard;

/// One policy value of an IP operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IpPattern {
    /// A CIDR block; a plain address is a /32 or /128 block. Both border addresses included.
    Net(IpNet),
    /// An OSS wildcard form such as `192.168.*` or `*`, matched against the textual address.
    Wildcard(String),
}

impl IpPattern {
    /// Parses an address, a CIDR block, or a wildcard pattern of address characters.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        if text.contains('*') {
            let allowed = |c: char| c.is_ascii_hexdigit() || matches!(c, '.' | ':' | '*');
            return text
                .chars()
                .all(allowed)
                .then(|| Self::Wildcard(text.to_ascii_lowercase()));
        }
        if text.contains('/') {
            return text.parse::<IpNet>().ok().map(|net| Self::Net(net.trunc()));
        }
        parse_addr(text).map(|addr| Self::Net(IpNet::from(addr)))
    }

    /// Whether this is a CIDR block that leaves some addresses out (not `0.0.0.0/0` or `::/0`):
    /// a limit on the source address (docs/protocol/policy.md#public-policies). An OSS wildcard
    /// form is not one, however narrow.
    pub(crate) fn is_fixed_block(&self) -> bool {
        matches!(self, Self::Net(net) if net.prefix_len() > 0)
    }

    /// Whether `addr` (already canonical) lies in this pattern.
    pub(crate) fn contains(&self, addr: IpAddr) -> bool {
        match self {
            Self::Net(net) => net.contains(&addr),
            Self::Wildcard(pattern) => wildcard::matches(pattern, &addr.to_string()),
        }
    }
}

/// Parses an address; IPv4-mapped IPv6 addresses become IPv4 so that v4 rules apply to them.
pub(crate) fn parse_addr(text: &str) -> Option<IpAddr> {
    text.parse::<IpAddr>().ok().map(|addr| addr.to_canonical())
}
