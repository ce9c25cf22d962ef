//! The files layer: a Landlock domain. A run writes only in its own directory and reads
//! only what programs need.

use std::path::Path;

use anyhow::{Context, Result, bail};
use landlock::{
    ABI, Access, AccessFs, BitFlags, CompatLevel, Compatible, PathBeneath, PathFd, Ruleset, RulesetAttr,
    RulesetCreated, RulesetCreatedAttr, RulesetStatus, Scope,
};

/// The newest Landlock ABI this policy was written and tested for.
const ABI_TESTED: ABI = ABI::V7;

/// Read and execute, beneath each: the system's programs and libraries, and the kernel's
/// views of the process (`/proc` and `/sys`, the run's own network once `namespaces` ran).
const READ: &[&str] = &[
    "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/sys",
];

/// Entries of `/etc` a run never reads: password hashes, host keys, private keys and stored
/// credentials. Everything else in `/etc` (the loader's cache, locales, time zones, `passwd`)
/// programs read as a matter of course.
const ETC_SECRETS: &[&str] = &[
    "shadow",
    "shadow-",
    "gshadow",
    "gshadow-",
    "sudoers",
    "sudoers.d",
    "ssh",
    "ssl",
    "security",
    "krb5.keytab",
    "credstore",
    "credstore.encrypted",
    "wireguard",
    "NetworkManager",
    "ppp",
    "docker",
    "containerd",
];

/// Devices a run may open for reading and writing.
pub(super) const DEVICES: &[&str] = &[
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/random",
    "/dev/urandom",
    "/dev/tty",
];

/// Restricts this process (and all it starts) to the policy above: everything in `dir` (and
/// in `/dev/shm` when `own_shm`: the run's own, mounted by `namespaces`), reads of [`READ`],
/// `/etc` minus [`ETC_SECRETS`] and `program`. Signals and abstract Unix sockets reach only
/// the run's own processes. Sets `no_new_privs`.
pub(super) fn restrict(dir: &Path, program: &Path, own_shm: bool) -> Result<()> {
    let all = AccessFs::from_all(ABI_TESTED);
    let read = AccessFs::from_read(ABI_TESTED);
    let file = AccessFs::from_file(ABI_TESTED);
    let mut ruleset = created_ruleset()?;
    ruleset = add(ruleset, dir, all, true)?;
    if own_shm {
        ruleset = add(ruleset, Path::new("/dev/shm"), all, false)?;
    }
    for d in READ {
        ruleset = add(ruleset, Path::new(d), read, false)?;
    }
    ruleset = add(ruleset, Path::new("/etc"), AccessFs::ReadDir.into(), false)?;
    for entry in std::fs::read_dir("/etc").into_iter().flatten().flatten() {
        let name = entry.file_name();
        if !ETC_SECRETS.iter().any(|s| name == *s) {
            ruleset = add(ruleset, &entry.path(), read, false)?;
        }
    }
    for d in DEVICES {
        ruleset = add(ruleset, Path::new(d), file & !AccessFs::Execute, false)?;
    }
    ruleset = add(ruleset, program, AccessFs::Execute | AccessFs::ReadFile, true)?;
    let status = ruleset.restrict_self().context("landlock_restrict_self")?;
    if status.ruleset == RulesetStatus::NotEnforced {
        bail!("the kernel enforced no rule");
    }
    Ok(())
}

/// A ruleset that handles every access right of [`ABI_TESTED`] that the kernel knows, and
/// scopes signals and abstract Unix sockets to the run where the kernel can (ABI 6).
fn created_ruleset() -> Result<RulesetCreated> {
    let ruleset = Ruleset::default()
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(AccessFs::from_all(ABI_TESTED))?
        .scope(Scope::from_all(ABI_TESTED))?
        .create()?;
    Ok(ruleset)
}

/// Adds a rule for `path` with `access` (narrowed to a file's rights when `path` is not a
/// directory). A path that does not exist is skipped, unless `required`.
fn add(
    ruleset: RulesetCreated,
    path: &Path,
    access: BitFlags<AccessFs>,
    required: bool,
) -> Result<RulesetCreated> {
    let fd = match PathFd::new(path) {
        Ok(fd) => fd,
        Err(_) if !required => return Ok(ruleset),
        Err(e) => return Err(e).with_context(|| format!("opening {}", path.display())),
    };
    let access = if path.is_dir() {
        access
    } else {
        access & AccessFs::from_file(ABI_TESTED)
    };
    ruleset
        .add_rule(PathBeneath::new(fd, access))
        .with_context(|| format!("a rule for {}", path.display()))
}

/// Landlock's ABI on this kernel, as the probe reports it: `landlock_create_ruleset` with
/// the version flag.
pub(super) fn kernel_abi() -> Option<i32> {
    // SAFETY: the documented way to ask for the ABI: no ruleset, no size, the version flag.
    let v = unsafe { nix::libc::syscall(nix::libc::SYS_landlock_create_ruleset, 0usize, 0usize, 1u32) };
    (v > 0).then_some(v as i32)
}
