//! Keys and the keyring: which key encrypts new tokens, which keys still decrypt old ones.

use std::fmt;

use pasetors::keys::{Generate, SymmetricKey};
use pasetors::paserk::{FormatAsPaserk, Id};
use pasetors::version4::V4;
use zeroize::Zeroizing;

use crate::codec::FOOTER_LEN;

/// A 32-byte PASETO v4.local key, with its PASERK id.
///
/// The key bytes are zeroized when the key is dropped (pasetors does it for the inner
/// key), and neither `Debug` nor any error message shows them.
pub struct Key {
    inner: SymmetricKey<V4>,
    id: String,
    footer: Vec<u8>,
}

impl Key {
    /// Makes a new random key from the operating system's random source.
    ///
    /// # Errors
    ///
    /// [`KeyError`] when the operating system's random source fails.
    ///
    /// # Examples
    ///
    /// ```
    /// let key = paseto_session::Key::generate().unwrap();
    /// assert!(key.id().starts_with("k4.lid."));
    /// ```
    pub fn generate() -> Result<Self, KeyError> {
        let inner = SymmetricKey::<V4>::generate().map_err(|_| KeyError::Random)?;
        Ok(Self::from_inner(inner))
    }

    /// Reads a key written as PASERK `k4.local.…` (for example from an environment
    /// variable or a secret store).
    ///
    /// # Errors
    ///
    /// [`KeyError::Paserk`] when the text is not a `k4.local` PASERK of a 32-byte key. The
    /// error never repeats the text.
    ///
    /// # Examples
    ///
    /// ```
    /// use paseto_session::Key;
    ///
    /// let written = Key::generate().unwrap().to_paserk();
    /// let read = Key::from_paserk(&written).unwrap();
    /// assert_eq!(read.to_paserk().as_str(), written.as_str());
    /// ```
    pub fn from_paserk(paserk: &str) -> Result<Self, KeyError> {
        let inner = SymmetricKey::<V4>::try_from(paserk.trim()).map_err(|_| KeyError::Paserk)?;
        Ok(Self::from_inner(inner))
    }

    /// Makes a key from 32 raw bytes.
    ///
    /// # Errors
    ///
    /// [`KeyError::Length`] when `bytes` is not 32 bytes long.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        let inner = SymmetricKey::<V4>::from(bytes).map_err(|_| KeyError::Length)?;
        Ok(Self::from_inner(inner))
    }

    fn from_inner(inner: SymmetricKey<V4>) -> Self {
        let mut id = String::new();
        let _ = Id::from(&inner).fmt(&mut id);
        let footer = format!("{{\"kid\":\"{id}\"}}").into_bytes();
        debug_assert_eq!(footer.len(), FOOTER_LEN);
        Self { inner, id, footer }
    }

    /// Writes the key as PASERK `k4.local.…`, in a buffer that is zeroized on drop.
    ///
    /// This is the only way to see the key's bytes: store the text as a secret.
    #[must_use]
    pub fn to_paserk(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::new());
        let _ = self.inner.fmt(&mut *out);
        out
    }

    /// The key's PASERK id (`k4.lid.…`): public, safe to log, carried in every token's
    /// footer so the keyring can tell which key to decrypt with.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn footer(&self) -> &[u8] {
        &self.footer
    }

    pub(crate) fn paseto_key(&self) -> &SymmetricKey<V4> {
        &self.inner
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// The keys of a deployment: one current key that encrypts new tokens, and older keys that
/// still decrypt tokens issued before a key rotation.
///
/// A token names its key by PASERK id in its footer, so decryption picks the key directly
/// rather than trying each one. A token under an older key is accepted and answered with
/// a token under the current key, so a retired key can be dropped once the idle timeout
/// has passed since it stopped being current, and nobody is logged out by the change.
pub struct Keyring {
    keys: Vec<Key>,
}

impl Keyring {
    /// A keyring of a single key.
    #[must_use]
    pub fn new(current: Key) -> Self {
        Self {
            keys: vec![current],
        }
    }

    /// Adds a key that decrypts tokens but no longer encrypts them.
    ///
    /// # Examples
    ///
    /// ```
    /// use paseto_session::{Key, Keyring};
    ///
    /// let old = Key::generate().unwrap();
    /// let keyring = Keyring::new(Key::generate().unwrap()).with_retired(old);
    /// assert_eq!(keyring.len(), 2);
    /// ```
    #[must_use]
    pub fn with_retired(mut self, key: Key) -> Self {
        if self.keys.iter().all(|kept| kept.id != key.id) {
            self.keys.push(key);
        }
        self
    }

    /// The key that encrypts new tokens.
    #[must_use]
    pub fn current(&self) -> &Key {
        &self.keys[0]
    }

    /// How many keys the keyring holds, the current one included.
    #[must_use]
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Always `false`: a keyring holds at least its current key.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The key whose footer is exactly `footer`, if the keyring holds it.
    pub(crate) fn by_footer(&self, footer: &[u8]) -> Option<&Key> {
        self.keys.iter().find(|key| key.footer == footer)
    }
}

impl From<Key> for Keyring {
    fn from(key: Key) -> Self {
        Self::new(key)
    }
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(Key::id).collect();
        f.debug_struct("Keyring").field("key_ids", &ids).finish()
    }
}

/// A key that could not be made or read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The text is not a PASERK `k4.local` key.
    Paserk,
    /// The key is not 32 bytes long.
    Length,
    /// The operating system's random source failed.
    Random,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Paserk => "the key is not a PASERK `k4.local.` string of a 32-byte key",
            Self::Length => "a v4.local key must be exactly 32 bytes",
            Self::Random => "the operating system's random source failed",
        })
    }
}

impl std::error::Error for KeyError {}
