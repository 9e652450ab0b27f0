//! Bearer tokens (JWT): the claims ketnap reads, the keys it signs and verifies them with, and
//! why a token is refused. Keys come from configuration only; there is no built-in key.

use std::path::PathBuf;

use chrono::{Duration, Utc};
use clap::Args;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::Role;

/// The shortest HMAC secret accepted: 256 bits, the strength of HS256 itself.
pub const MIN_SECRET_BYTES: usize = 32;

/// Where the keys come from and what tokens must say. Shared by `serve` and `token`.
#[derive(Clone, Default, Args)]
pub struct TokenArgs {
    /// Shared secret for HS256 tokens, at least 32 bytes. Prefer --jwt-secret-file in production.
    #[arg(long, env = "KETNAP_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,

    /// File holding the HS256 shared secret (surrounding whitespace is ignored).
    #[arg(long, env = "KETNAP_JWT_SECRET_FILE")]
    pub jwt_secret_file: Option<PathBuf>,

    /// PEM public key of an identity provider (RS256 or ES256, see --jwt-algorithm): tokens are
    /// verified with it instead of a shared secret.
    #[arg(long, env = "KETNAP_JWT_PUBLIC_KEY_FILE")]
    pub jwt_public_key_file: Option<PathBuf>,

    /// PEM private key matching --jwt-public-key-file, needed only to issue tokens here.
    #[arg(long, env = "KETNAP_JWT_PRIVATE_KEY_FILE")]
    pub jwt_private_key_file: Option<PathBuf>,

    /// Signature algorithm with key files: RS256 or ES256 (a shared secret always uses HS256).
    #[arg(long, env = "KETNAP_JWT_ALGORITHM", default_value = "RS256", value_parser = ["RS256", "ES256"])]
    pub jwt_algorithm: String,

    /// The audience (`aud`) every token must name.
    #[arg(long, env = "KETNAP_JWT_AUDIENCE", default_value = "ketnap")]
    pub jwt_audience: String,

    /// The issuer (`iss`) every token must name; tokens issued here carry it.
    #[arg(long, env = "KETNAP_JWT_ISSUER", default_value = "ketnap")]
    pub jwt_issuer: String,
}

impl std::fmt::Debug for TokenArgs {
    /// Never prints the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenArgs")
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "<hidden>"))
            .field("jwt_secret_file", &self.jwt_secret_file)
            .field("jwt_public_key_file", &self.jwt_public_key_file)
            .field("jwt_algorithm", &self.jwt_algorithm)
            .field("jwt_audience", &self.jwt_audience)
            .field("jwt_issuer", &self.jwt_issuer)
            .finish()
    }
}

impl TokenArgs {
    /// Whether any key is configured.
    pub fn is_configured(&self) -> bool {
        self.jwt_secret.is_some() || self.jwt_secret_file.is_some() || self.jwt_public_key_file.is_some()
    }

    /// Loads the configured keys; an error explains what is wrong with the configuration.
    pub fn keys(&self) -> Result<TokenKeys, String> {
        let secret = match (&self.jwt_secret, &self.jwt_secret_file) {
            (Some(_), Some(_)) => {
                return Err("give either KETNAP_JWT_SECRET or KETNAP_JWT_SECRET_FILE, not both".into());
            }
            (Some(secret), None) => Some(secret.clone()),
            (None, Some(path)) => Some(read(path)?.trim().to_owned()),
            (None, None) => None,
        };
        match (secret, &self.jwt_public_key_file) {
            (Some(_), Some(_)) => Err("give either a shared secret or a public key file, not both".into()),
            (Some(secret), None) => TokenKeys::from_secret(secret.as_bytes(), &self.jwt_audience, &self.jwt_issuer),
            (None, Some(public)) => {
                let algorithm = if self.jwt_algorithm == "ES256" { Algorithm::ES256 } else { Algorithm::RS256 };
                let public = read(public)?;
                let private = self.jwt_private_key_file.as_ref().map(read).transpose()?;
                TokenKeys::from_pem(algorithm, public.as_bytes(), private.as_deref().map(str::as_bytes), self)
            }
            (None, None) => Err("no token key is configured: set KETNAP_JWT_SECRET_FILE (or KETNAP_JWT_SECRET), \
                 or KETNAP_JWT_PUBLIC_KEY_FILE to accept an identity provider's tokens"
                .into()),
        }
    }
}

/// Where the embedded (SQLite) installation keeps the secret it generates for itself when no key
/// is configured, beside the default database file.
pub const LOCAL_SECRET_FILE: &str = "ketnap-token.key";

impl TokenArgs {
    /// For the embedded SQLite installation without a configured key: use the local secret file,
    /// creating it with a fresh random secret (readable by the owner only) on first use. Returns
    /// whether it was created. PostgreSQL deployments must configure their key explicitly.
    pub fn use_local_secret(&mut self) -> Result<bool, String> {
        let path = PathBuf::from(LOCAL_SECRET_FILE);
        let created = !path.exists();
        if created {
            let secret: [u8; 32] = rand::random();
            let hex: String = secret.iter().map(|byte| format!("{byte:02x}")).collect();
            write_private(&path, &hex).map_err(|err| format!("cannot create {}: {err}", path.display()))?;
        }
        self.jwt_secret_file = Some(path);
        Ok(created)
    }
}

#[cfg(unix)]
fn write_private(path: &PathBuf, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &PathBuf, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

fn read(path: &PathBuf) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|err| format!("cannot read {}: {err}", path.display()))
}

/// The longest a token may live, at issue and at verification (`exp` − `iat`, and `exp` − now):
/// a year, leap day included.
pub const MAX_LIFETIME_HOURS: i64 = 8_784;

/// Clock skew tolerated between the issuer and this server, in seconds.
pub const LEEWAY_SECONDS: i64 = 30;

/// The `aud` claim: RFC 7519 §4.1.3 allows one string or an array of strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

impl From<&str> for Audience {
    fn from(audience: &str) -> Self {
        Audience::One(audience.to_owned())
    }
}

/// What a ketnap token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user's stable identifier; never empty.
    pub sub: String,
    /// The user's display name, recorded in the audit trail.
    #[serde(default)]
    pub name: String,
    pub role: Role,
    /// The code of the unit whose subtree the user acts in, or `*` for the whole country.
    pub unit: String,
    pub aud: Audience,
    pub iss: String,
    /// Expiry, seconds since the epoch.
    pub exp: i64,
    /// Issued at, seconds since the epoch; required, so the lifetime can be bounded.
    pub iat: i64,
    /// Not before, seconds since the epoch (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
}

/// Why a token was refused. The message goes to the client; it never echoes the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    Expired,
    BadSignature,
    WrongAudience,
    WrongIssuer,
    WrongAlgorithm,
    Malformed,
    NotYetValid,
    IssuedInTheFuture,
    LivesTooLong,
    NoSubject,
}

impl TokenError {
    pub fn message(&self) -> &'static str {
        match self {
            TokenError::Expired => "the token has expired",
            TokenError::BadSignature => "the token's signature is not valid",
            TokenError::WrongAudience => "the token is meant for another service (audience)",
            TokenError::WrongIssuer => "the token comes from an issuer this server does not trust",
            TokenError::WrongAlgorithm => "the token is signed with an algorithm this server does not accept",
            TokenError::Malformed => "the token is not a well-formed ketnap token",
            TokenError::NotYetValid => "the token is not valid yet (nbf)",
            TokenError::IssuedInTheFuture => "the token says it was issued in the future (iat)",
            TokenError::LivesTooLong => "the token lives longer than a year, the longest this server accepts",
            TokenError::NoSubject => "the token names no subject (sub)",
        }
    }
}

/// The keys and the rules a token must pass.
#[derive(Clone)]
pub struct TokenKeys {
    algorithm: Algorithm,
    encoding: Option<EncodingKey>,
    decoding: DecodingKey,
    audience: String,
    issuer: String,
}

impl TokenKeys {
    /// HS256 with a shared secret of at least `MIN_SECRET_BYTES`.
    pub fn from_secret(secret: &[u8], audience: &str, issuer: &str) -> Result<Self, String> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(format!("the token secret must be at least {MIN_SECRET_BYTES} bytes long"));
        }
        Ok(TokenKeys {
            algorithm: Algorithm::HS256,
            encoding: Some(EncodingKey::from_secret(secret)),
            decoding: DecodingKey::from_secret(secret),
            audience: audience.to_owned(),
            issuer: issuer.to_owned(),
        })
    }

    /// RS256 or ES256 with PEM keys; without the private key the server verifies but cannot issue.
    fn from_pem(algorithm: Algorithm, public: &[u8], private: Option<&[u8]>, args: &TokenArgs) -> Result<Self, String> {
        let bad = |err: jsonwebtoken::errors::Error| format!("the key file is not a usable PEM key: {err}");
        let (decoding, encoding) = match algorithm {
            Algorithm::ES256 => (
                DecodingKey::from_ec_pem(public).map_err(bad)?,
                private.map(EncodingKey::from_ec_pem).transpose().map_err(bad)?,
            ),
            _ => (
                DecodingKey::from_rsa_pem(public).map_err(bad)?,
                private.map(EncodingKey::from_rsa_pem).transpose().map_err(bad)?,
            ),
        };
        Ok(TokenKeys {
            algorithm,
            encoding,
            decoding,
            audience: args.jwt_audience.clone(),
            issuer: args.jwt_issuer.clone(),
        })
    }

    /// A random HS256 secret for this process only (the demo without a configured key).
    pub fn ephemeral() -> Self {
        let secret: [u8; 32] = rand::random();
        TokenKeys {
            algorithm: Algorithm::HS256,
            encoding: Some(EncodingKey::from_secret(&secret)),
            decoding: DecodingKey::from_secret(&secret),
            audience: "ketnap".into(),
            issuer: "ketnap".into(),
        }
    }

    /// Whether tokens can be issued here (a private key or the shared secret is known).
    pub fn can_issue(&self) -> bool {
        self.encoding.is_some()
    }

    /// Signs a token for `subject` valid for `ttl`.
    pub fn issue(&self, subject: &str, name: &str, role: Role, unit: &str, ttl: Duration) -> Result<String, String> {
        let key =
            self.encoding.as_ref().ok_or("this server holds no signing key: tokens come from the identity provider")?;
        if ttl <= Duration::zero() {
            return Err("the lifetime must be positive".into());
        }
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: subject.to_owned(),
            name: name.to_owned(),
            role,
            unit: unit.to_owned(),
            aud: Audience::One(self.audience.clone()),
            iss: self.issuer.clone(),
            exp: now + ttl.num_seconds(),
            iat: now,
            nbf: None,
        };
        jsonwebtoken::encode(&Header::new(self.algorithm), &claims, key).map_err(|err| err.to_string())
    }

    /// Checks the signature, algorithm, audience, issuer, expiry, not-before, issue time, lifetime
    /// and subject, and returns the claims.
    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|err| match err.kind() {
            // `alg: none` and other unknown algorithms fail to parse here.
            ErrorKind::Json(_) | ErrorKind::InvalidAlgorithmName => TokenError::WrongAlgorithm,
            _ => TokenError::Malformed,
        })?;
        if header.alg != self.algorithm {
            return Err(TokenError::WrongAlgorithm);
        }
        let mut validation = Validation::new(self.algorithm);
        validation.set_audience(&[&self.audience]);
        validation.set_issuer(&[&self.issuer]);
        validation.set_required_spec_claims(&["exp", "iat", "aud", "iss", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECONDS.unsigned_abs();
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|err| match err.kind() {
                ErrorKind::ExpiredSignature => TokenError::Expired,
                ErrorKind::ImmatureSignature => TokenError::NotYetValid,
                ErrorKind::InvalidSignature => TokenError::BadSignature,
                ErrorKind::InvalidAudience => TokenError::WrongAudience,
                ErrorKind::InvalidIssuer => TokenError::WrongIssuer,
                ErrorKind::InvalidAlgorithm => TokenError::WrongAlgorithm,
                _ => TokenError::Malformed,
            })?;
        check_times(&claims, Utc::now().timestamp())?;
        if claims.sub.trim().is_empty() {
            return Err(TokenError::NoSubject);
        }
        Ok(claims)
    }
}

/// What the library does not check: an issue time in the future, and a lifetime beyond
/// `MAX_LIFETIME_HOURS` (counted from the issue time and from now, so a back-dated `iat` does not
/// stretch it).
fn check_times(claims: &Claims, now: i64) -> Result<(), TokenError> {
    if claims.iat > now + LEEWAY_SECONDS {
        return Err(TokenError::IssuedInTheFuture);
    }
    let longest = MAX_LIFETIME_HOURS * 3600;
    if claims.exp.saturating_sub(claims.iat) > longest || claims.exp.saturating_sub(now) > longest {
        return Err(TokenError::LivesTooLong);
    }
    Ok(())
}

/// Parses a lifetime such as `90m`, `12h`, `30d` or a number of seconds.
pub fn parse_ttl(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
    let amount: i64 = number.parse().map_err(|_| format!("'{text}' is not a lifetime such as 90m, 12h or 30d"))?;
    let duration = match unit {
        "" | "s" => Duration::seconds(amount),
        "m" => Duration::minutes(amount),
        "h" => Duration::hours(amount),
        "d" => Duration::days(amount),
        _ => return Err(format!("'{text}' is not a lifetime such as 90m, 12h or 30d")),
    };
    if duration <= Duration::zero() || duration > Duration::hours(MAX_LIFETIME_HOURS) {
        return Err("a token lives between one second and a year".into());
    }
    Ok(duration)
}

#[cfg(test)]
#[path = "token_tests.rs"]
mod tests;
