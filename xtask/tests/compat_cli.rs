//! `cargo xtask compat` end to end: the two-file mode, `--explain`, exit statuses, and the
//! `--base` gate in temporary git repositories (published versions edited in place or
//! deleted, too-small and correct bumps, new events).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn xtask() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_xtask"));
    isolate_git(&mut c);
    c
}

/// Git must not read the user's or the machine's configuration (hooks, signing, templates).
fn isolate_git(c: &mut Command) {
    c.env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "compat test")
        .env("GIT_AUTHOR_EMAIL", "compat@example.invalid")
        .env("GIT_COMMITTER_NAME", "compat test")
        .env("GIT_COMMITTER_EMAIL", "compat@example.invalid");
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

// ---------- two-file mode ----------

#[test]
fn two_files_report_json_and_fail_on_a_breaking_change() {
    let dir = temp();
    let (old, new) = (dir.path().join("old.json"), dir.path().join("new.json"));
    write(
        &old,
        r#"{"type": "object", "properties": {"category": {"type": "string", "enum": ["books", "toys"]}}}"#,
    );
    write(
        &new,
        r#"{"type": "object", "properties": {"category": {"type": "string", "enum": ["books", "toys", "games"]}}}"#,
    );
    let out = xtask()
        .args(["compat", "--format", "json"])
        .arg(&old)
        .arg(&new)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let v: Value =
        serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    assert_eq!(v["required"], "major");
    assert_eq!(v["findings"].as_array().map(Vec::len), Some(1));
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "enum-value-added");
    assert_eq!(f["pointer"], "/properties/category/enum/2");
    assert_eq!(f["bump"], "major");
    assert_eq!(f["witness"], serde_json::json!({"category": "games"}));
    assert_eq!(f["line"], 1);
}

#[test]
fn two_files_named_by_version_check_the_bump_made() {
    let dir = temp();
    let base = r#"{"type": "object", "properties": {"name": {"type": "string"}}}"#;
    let added = r#"{"type": "object", "properties": {"name": {"type": "string"}, "color": {"type": "string"}}}"#;
    write(&dir.path().join("1.0.0.json"), base);
    write(&dir.path().join("1.1.0.json"), added);
    write(&dir.path().join("1.0.1.json"), added);
    let run = |new: &str| {
        xtask()
            .arg("compat")
            .arg(dir.path().join("1.0.0.json"))
            .arg(dir.path().join(new))
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let ok = run("1.1.0.json");
    assert_eq!(code(&ok), 0, "{}", stdout(&ok));
    assert!(
        stdout(&ok).ends_with("required bump: minor (1 finding: 1 minor); made: minor (ok)\n"),
        "{}",
        stdout(&ok)
    );
    let small = run("1.0.1.json");
    assert_eq!(code(&small), 1);
    assert!(
        stdout(&small).ends_with("made: patch (too small)\n"),
        "{}",
        stdout(&small)
    );
    let made = xtask()
        .args(["compat", "--made", "major"])
        .arg(dir.path().join("1.0.0.json"))
        .arg(dir.path().join("1.0.1.json"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code(&made), 0);
}

#[test]
fn two_files_with_external_refs_are_refused_clearly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/product-created");
    let out = xtask()
        .arg("compat")
        .arg(root.join("1.0.0.json"))
        .arg(root.join("1.1.0.json"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("the $ref \"../common/envelope.json#/definitions/eventId\" at /properties/eventId/$ref is not local"), "{err}");
}

#[test]
fn explain_prints_a_rule_page_and_rejects_unknown_ids() {
    let out = xtask()
        .args(["compat", "--explain", "enum-value-added"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code(&out), 0);
    let page = stdout(&out);
    assert!(
        page.starts_with("enum-value-added: a value was added to an enum"),
        "{page}"
    );
    assert!(
        page.contains("witness:    {\"category\":\"games\"}"),
        "{page}"
    );
    assert!(
        page.contains("Fix: Add the value in a new major version."),
        "{page}"
    );
    let gate = xtask()
        .args(["compat", "--explain", "published-version-edited"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code(&gate), 0);
    let unknown = xtask()
        .args(["compat", "--explain", "enum-grew"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code(&unknown), 2);
    assert!(
        stderr(&unknown).contains("no rule is called \"enum-grew\""),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let none = xtask()
        .arg("compat")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code(&none), 2);
    assert!(
        stderr(&none).contains("nothing to compare"),
        "{}",
        stderr(&none)
    );
    let both = xtask()
        .args(["compat", "--base", "HEAD", "a.json", "b.json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code(&both), 2);
    let one = xtask()
        .args(["compat", "a.json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code(&one), 2);
    let missing = xtask()
        .args(["compat", "/nonexistent/a.json", "/nonexistent/b.json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code(&missing), 2);
}

// ---------- the gate in a temporary git repository ----------

const ENVELOPE: &str = r#"{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "definitions": {"version": {"type": "string", "pattern": "^\\d+\\.\\d+\\.\\d+$"}}
}
"#;

fn widget(event: &str, properties: &str, required: &str) -> String {
    format!(
        r#"{{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "required": ["eventType", "version", "data"],
  "properties": {{
    "eventType": {{"type": "string", "enum": ["{event}"]}},
    "version": {{"$ref": "../common/envelope.json#/definitions/version"}},
    "data": {{"type": "object", "required": [{required}], "properties": {{{properties}}}}}
  }}
}}
"#
    )
}

const NAME_10: &str = r#""name": {"type": "string", "maxLength": 10}"#;
const NAME_5: &str = r#""name": {"type": "string", "maxLength": 5}"#;
const NAME_COLOR: &str =
    r#""name": {"type": "string", "maxLength": 10}, "color": {"type": "string"}"#;

struct Repo {
    dir: tempfile::TempDir,
    /// Where the workspace (schemas/, compat-allow.json) is inside the repository.
    workspace: PathBuf,
}

impl Repo {
    /// A repository whose first commit publishes WidgetMade 1.0.0, with the workspace at `sub`.
    fn new(sub: &str) -> Repo {
        let dir = temp();
        let workspace = dir.path().join(sub);
        let repo = Repo { dir, workspace };
        repo.git(&["init", "-q"]);
        repo.write("schemas/common/envelope.json", ENVELOPE);
        repo.write(
            "schemas/widget-made/1.0.0.json",
            &widget("WidgetMade", NAME_10, r#""name""#),
        );
        repo.commit("publish WidgetMade 1.0.0");
        repo
    }

    fn git(&self, args: &[&str]) {
        let mut c = Command::new("git");
        isolate_git(&mut c);
        let out = c
            .arg("-C")
            .arg(self.dir.path())
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    }

    fn write(&self, rel: &str, text: &str) {
        write(&self.workspace.join(rel), text);
    }

    fn remove(&self, rel: &str) {
        std::fs::remove_file(self.workspace.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&[
            "commit",
            "-q",
            "--no-gpg-sign",
            "--no-verify",
            "-m",
            message,
        ]);
    }

    fn gate(&self, base: &str, format: &str) -> Output {
        xtask()
            .args(["compat", "--base", base, "--format", format, "--repo"])
            .arg(&self.workspace)
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    }
}

#[test]
fn git_an_unchanged_folder_passes() {
    let repo = Repo::new("");
    let out = repo.gate("HEAD", "human");
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(
        stdout(&out),
        "compat: passed: 0 version pairs of 1 event checked; largest bump required: none\n"
    );
}

#[test]
fn git_an_in_place_edit_of_a_published_version_fails() {
    let repo = Repo::new("");
    repo.write(
        "schemas/widget-made/1.0.0.json",
        &widget("WidgetMade", NAME_5, r#""name""#),
    );
    let out = repo.gate("HEAD", "human");
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("WidgetMade 1.0.0 (published): error[published-version-edited]"),
        "{text}"
    );
    assert!(text.contains("major[string-length-tightened]"), "{text}");
    assert!(text.ends_with("compat: FAILED: 1 violation: WidgetMade 1.0.0 (published version edited); largest bump required: major\n"), "{text}");
}

#[test]
fn git_an_edit_to_a_shared_file_is_an_edit_of_every_version_using_it() {
    let repo = Repo::new("");
    repo.write(
        "schemas/common/envelope.json",
        &ENVELOPE.replace(r#""pattern""#, r#""maxLength": 20, "pattern""#),
    );
    let out = repo.gate("HEAD", "github");
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("::error file=schemas/widget-made/1.0.0.json,title=published-version-edited (WidgetMade 1.0.0)::"), "{text}");
    assert!(text.contains("::error file=schemas/common/envelope.json,line=3,title=major[string-length-tightened] WidgetMade 1.0.0 (published)::"), "{text}");
}

#[test]
fn git_a_too_small_bump_fails() {
    let repo = Repo::new("");
    repo.write(
        "schemas/widget-made/1.0.1.json",
        &widget("WidgetMade", NAME_5, r#""name""#),
    );
    let out = repo.gate("HEAD", "json");
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}"));
    let entries = v.as_array().unwrap_or_else(|| panic!("not a list: {v}"));
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(
        (e["event"].as_str(), e["from"].as_str(), e["to"].as_str()),
        (Some("WidgetMade"), Some("1.0.0"), Some("1.0.1"))
    );
    assert_eq!(
        (
            e["made"].as_str(),
            e["required"].as_str(),
            e["status"].as_str()
        ),
        (Some("patch"), Some("major"), Some("too-small"))
    );
    assert_eq!(e["findings"][0]["rule"], "string-length-tightened");
    assert_eq!(
        e["findings"][0]["pointer"],
        "/properties/data/properties/name/maxLength"
    );
    assert_eq!(e["findings"][0]["file"], "schemas/widget-made/1.0.1.json");
    assert_eq!(e["findings"][0]["line"], 8);
    assert_eq!(e["findings"][0]["witness"]["data"]["name"], "aaaaaa");
}

#[test]
fn git_a_correct_bump_passes_and_the_allow_list_can_accept_a_finding() {
    let repo = Repo::new("");
    repo.write(
        "schemas/widget-made/1.1.0.json",
        &widget("WidgetMade", NAME_COLOR, r#""name""#),
    );
    let out = repo.gate("HEAD", "human");
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).starts_with("WidgetMade 1.0.0 -> 1.1.0: made minor, requires minor: ok\n  --> schemas/widget-made/1.1.0.json\n"), "{}", stdout(&out));

    repo.write("schemas/widget-made/1.1.1.json", &widget("WidgetMade", r#""name": {"type": "string", "maxLength": 10}, "color": {"type": "string", "maxLength": 3}"#, r#""name""#));
    assert_eq!(code(&repo.gate("HEAD", "human")), 1);
    repo.write(
        "compat-allow.json",
        r#"{"allow": [{"event": "WidgetMade", "rule": "string-length-tightened", "pointer": "/properties/data/properties/color/maxLength", "versions": "1.1.0 -> 1.1.1", "reason": "color is not produced yet"}]}"#,
    );
    let accepted = repo.gate("HEAD", "human");
    assert_eq!(code(&accepted), 0, "{}", stdout(&accepted));
    assert!(
        stdout(&accepted).contains("= accepted: color is not produced yet (compat-allow.json)"),
        "{}",
        stdout(&accepted)
    );
}

#[test]
fn git_a_new_event_passes() {
    let repo = Repo::new("");
    repo.write(
        "schemas/gadget-sold/1.0.0.json",
        &widget("GadgetSold", NAME_5, ""),
    );
    let out = repo.gate("HEAD", "human");
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).starts_with("GadgetSold 1.0.0 (new event): a new event: ok\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn git_a_deleted_published_version_fails() {
    let repo = Repo::new("");
    repo.write(
        "schemas/widget-made/1.1.0.json",
        &widget("WidgetMade", NAME_COLOR, r#""name""#),
    );
    repo.commit("publish 1.1.0");
    repo.remove("schemas/widget-made/1.1.0.json");
    let out = repo.gate("HEAD", "human");
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).starts_with("WidgetMade 1.1.0 (published): error[published-version-deleted]"),
        "{}",
        stdout(&out)
    );
    // Against the commit before 1.1.0 was published, it is simply gone again: nothing to check.
    assert_eq!(code(&repo.gate("HEAD~1", "human")), 0);
}

#[test]
fn git_the_base_is_read_from_objects_in_a_nested_workspace() {
    let repo = Repo::new("services/events");
    repo.write(
        "schemas/widget-made/1.0.1.json",
        &widget("WidgetMade", NAME_10, r#""name""#)
            .replace("\"data\": {", "\"data\": {\"description\": \"x\", "),
    );
    let out = repo.gate("HEAD", "human");
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).starts_with("WidgetMade 1.0.0 -> 1.0.1: made patch, requires patch: ok\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn git_errors_exit_with_2() {
    let repo = Repo::new("");
    let out = repo.gate("no-such-branch", "human");
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("\"no-such-branch\" is not a commit"),
        "{}",
        stderr(&out)
    );
    let plain = temp();
    write(&plain.path().join("schemas/common/envelope.json"), ENVELOPE);
    let out = xtask()
        .args(["compat", "--base", "HEAD", "--repo"])
        .arg(plain.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("is not inside a git repository"),
        "{}",
        stderr(&out)
    );
    repo.write(
        "compat-allow.json",
        r#"{"allow": [{"event": "WidgetMade", "rule": "nope", "pointer": "", "reason": "r"}]}"#,
    );
    let bad_allow = repo.gate("HEAD", "human");
    assert_eq!(code(&bad_allow), 2);
    assert!(
        stderr(&bad_allow).contains("unknown rule \"nope\""),
        "{}",
        stderr(&bad_allow)
    );
}
