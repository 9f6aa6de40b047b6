"""The local certificate authority and one signing key per committee and per court.

Layout of the key folder (DESIGN §4; `flask keys init` fills it):

    ca.cert.pem                    the root every new seal chains to
    ca.key.pem                     its private key, encrypted with the passphrase
    <kind>-<code>.cert.pem         a committee's or court's certificate
    <kind>-<code>.key.pem          its private key, encrypted with the passphrase
    chain.pem                      (optional) intermediate certificates, PEM
    roots/*.pem                    (optional) earlier roots: their seals stay valid

Files that exist are never overwritten, so a province can put the certificates its own CA
issued (and that CA's root as ca.cert.pem) in their place and the app signs and validates
with those. Creating keys takes a lock file in the folder, so workers and hosts that share
it never race; a key left without its certificate by a crash is made again.
"""

import datetime as dt
import fcntl
import hashlib
import os
import re
import threading
from contextlib import contextmanager
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.sign import signers

KINDS = ("committee", "court")
CA_YEARS = 30
ENTITY_YEARS = 10
WRONG_PASSPHRASE = "口令不能打开私钥（KEYS_PASSPHRASE 不对？）"


class KeysError(RuntimeError):
    """The key folder is missing something, or the passphrase does not open a key."""


def _safe(code: str) -> str:
    """A file-name-safe form of a committee or court code."""
    if re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", code) and not code.startswith("."):
        return code
    return "x" + hashlib.sha256(code.encode()).hexdigest()[:24]


def _name(common: str, unit: str) -> x509.Name:
    """A certificate subject: 调解通, the unit kind, the unit's name."""
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "调解通"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
            x509.NameAttribute(NameOID.COMMON_NAME, common[:64]),
        ]
    )


def _certificate(subject, issuer, key, signing_key, years: int, authority: bool):
    """A certificate for `key`: a CA's (signs certificates) or a signer's (signs documents)."""
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    issuer_key = signing_key.public_key()
    usage = {
        "digital_signature": not authority,
        "content_commitment": not authority,
        "key_encipherment": False,
        "data_encipherment": False,
        "key_agreement": False,
        "key_cert_sign": authority,
        "crl_sign": authority,
        "encipher_only": False,
        "decipher_only": False,
    }
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=365 * years))
        .add_extension(
            x509.BasicConstraints(ca=authority, path_length=0 if authority else None), True
        )
        .add_extension(x509.KeyUsage(**usage), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key), False)
        .sign(signing_key, hashes.SHA256())
    )


def _load_certificates(path: Path) -> list[asn1_x509.Certificate]:
    """Every certificate in a PEM file."""
    return [
        asn1_x509.Certificate.load(der)
        for _, _, der in pem.unarmor(path.read_bytes(), multiple=True)
    ]


class KeyStore:
    """The key folder: creates what is missing, loads signers and the trusted roots."""

    def __init__(self, directory: Path, passphrase: bytes):
        self.directory = Path(directory)
        self.passphrase = passphrase
        self._signers: dict[tuple[str, str], signers.SimpleSigner] = {}
        self._lock = threading.Lock()

    # -- paths ------------------------------------------------------------------------------
    def paths(self, kind: str, code: str) -> tuple[Path, Path]:
        """(key file, certificate file) of a committee or court."""
        if kind not in KINDS:
            raise ValueError(f"unknown key kind {kind!r}")
        stem = f"{kind}-{_safe(code)}"
        return self.directory / f"{stem}.key.pem", self.directory / f"{stem}.cert.pem"

    @property
    def ca_paths(self) -> tuple[Path, Path]:
        """(key file, certificate file) of the root CA."""
        return self.directory / "ca.key.pem", self.directory / "ca.cert.pem"

    # -- creating ---------------------------------------------------------------------------
    @contextmanager
    def _creating(self):
        """Hold the folder's lock file: one creator at a time, across processes and hosts."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(self.directory / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _write_pair(self, key_path: Path, cert_path: Path, key, cert) -> None:
        """Write the key, then the certificate; each appears whole (written aside, renamed)."""
        private = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(self.passphrase),
        )
        public = cert.public_bytes(serialization.Encoding.PEM)
        for path, data, mode in ((key_path, private, 0o600), (cert_path, public, 0o644)):
            aside = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(aside, path)

    def _load_key(self, path: Path):
        """A private key of the folder, opened with the passphrase."""
        try:
            return serialization.load_pem_private_key(path.read_bytes(), self.passphrase)
        except (ValueError, TypeError) as error:
            raise KeysError(f"{path.name}：{WRONG_PASSPHRASE}") from error

    def ensure_ca(self) -> bool:
        """Create the root CA unless it exists; True when it was created."""
        with self._creating():
            return self._ensure_ca()

    def _ensure_ca(self) -> bool:
        key_path, cert_path = self.ca_paths
        if cert_path.exists():
            return False
        key = ec.generate_private_key(ec.SECP256R1())
        name = _name("调解通 本地根证书", "CA")
        cert = _certificate(name, name, key, key, CA_YEARS, authority=True)
        self._write_pair(key_path, cert_path, key, cert)
        return True

    def ensure(self, kind: str, code: str, name: str) -> bool:
        """Create the signing key and certificate of a committee or court unless they exist.

        :raise KeysError: no certificate for it, and no CA key here to issue one.
        """
        key_path, cert_path = self.paths(kind, code)
        if cert_path.exists():
            return False
        with self._creating():
            if cert_path.exists():  # another worker made it meanwhile
                return False
            self._ensure_ca()
            ca_key_path, ca_cert_path = self.ca_paths
            if not ca_key_path.exists():
                missing = f"{cert_path.name} 不存在，本地也没有 CA 私钥可以签发"
                raise KeysError(f"{missing}：请放入该单位的证书和私钥。")
            ca_cert = x509.load_pem_x509_certificate(ca_cert_path.read_bytes())
            ca_key = self._load_key(ca_key_path)
            key = ec.generate_private_key(ec.SECP256R1())
            subject = _name(name, kind)
            cert = _certificate(
                subject, ca_cert.subject, key, ca_key, ENTITY_YEARS, authority=False
            )
            self._write_pair(key_path, cert_path, key, cert)
            return True

    # -- using ------------------------------------------------------------------------------
    def signer(self, kind: str, code: str, name: str) -> signers.SimpleSigner:
        """The pyHanko signer of a committee or court, creating its key on first use."""
        with self._lock:
            cached = self._signers.get((kind, code))
            if cached is not None:
                return cached
            self.ensure(kind, code, name)
            key_path, cert_path = self.paths(kind, code)
            chain = [self.ca_paths[1]]
            if (self.directory / "chain.pem").exists():
                chain.append(self.directory / "chain.pem")
            signer = signers.SimpleSigner.load(
                str(key_path),
                str(cert_path),
                ca_chain_files=[str(p) for p in chain],
                key_passphrase=self.passphrase,
            )
            if signer is None:
                raise KeysError(f"{key_path.name}：{WRONG_PASSPHRASE}")
            self._signers[(kind, code)] = signer
            return signer

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        """The roots a seal may chain to: ca.cert.pem, and every earlier root in roots/."""
        cert_path = self.ca_paths[1]
        if not cert_path.exists():
            raise KeysError("没有根证书：请先运行 flask keys init。")
        earlier = sorted((self.directory / "roots").glob("*.pem"))
        return [cert for path in (cert_path, *earlier) for cert in _load_certificates(path)]

    def intermediates(self) -> list[asn1_x509.Certificate]:
        """The intermediate certificates of chain.pem (none without it)."""
        chain = self.directory / "chain.pem"
        return _load_certificates(chain) if chain.exists() else []
