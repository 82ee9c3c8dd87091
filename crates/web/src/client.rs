//! The address a request comes from, for rate limits: the socket peer, or — when the peer is one of the
//! operator's trusted reverse proxies — the nearest address in `X-Forwarded-For` that is not one of them.
//! Without this, behind a proxy every resident shares the proxy's address and one limit; and a header
//! from anyone else is ignored, so nobody escapes a limit by writing it.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::AppState;

/// The client's address as rate limits count it.
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // Requests not from a socket (in-process calls) count as one unknown address.
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .collect();
        Ok(Self(client_address(peer, &forwarded, &state.trusted_proxies)))
    }
}

/// The peer, unless it is a trusted proxy: then, reading `forwarded` from the nearest hop back, the
/// first address that is not a trusted proxy (an unreadable entry stops the walk at the last good one).
pub fn client_address(peer: IpAddr, forwarded: &[&str], trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let mut client = peer;
    for entry in forwarded.iter().rev() {
        match entry.trim().parse::<IpAddr>() {
            Ok(address) => {
                client = address;
                if !trusted.contains(&address) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(raw: &str) -> IpAddr {
        raw.parse().unwrap()
    }

    #[test]
    fn a_header_from_an_untrusted_peer_is_ignored() {
        assert_eq!(
            client_address(ip("198.51.100.7"), &["203.0.113.1"], &[ip("10.0.0.2")]),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_address(ip("198.51.100.7"), &["203.0.113.1"], &[]),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_nearest_untrusted_hop_is_the_client() {
        let proxies = [ip("10.0.0.2"), ip("10.0.0.3")];
        // A client-written first entry cannot hide the address the proxy saw.
        assert_eq!(
            client_address(ip("10.0.0.2"), &["1.2.3.4", " 203.0.113.9", "10.0.0.3"], &proxies),
            ip("203.0.113.9")
        );
        assert_eq!(client_address(ip("10.0.0.2"), &[], &proxies), ip("10.0.0.2"));
        assert_eq!(
            client_address(ip("10.0.0.2"), &["203.0.113.9", "garbage"], &proxies),
            ip("10.0.0.2"),
            "an unreadable hop: the proxy's own address"
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), &["2001:db8::1"], &proxies),
            ip("2001:db8::1")
        );
    }
}
