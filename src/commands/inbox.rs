//! The files of a batch: directories walked recursively, only regular
//! workbook files taken, each real (canonical) path once. Whatever cannot
//! be taken — an unlistable folder, a pipe or device named `*.xlsx`, a
//! dangling link — is kept as a refused entry for the report, never an
//! error that stops the batch.

use crate::error::io_text;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The inputs of a batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inbox {
    /// Regular workbook files, each real path once, in the order given
    /// (a directory's entries sorted by name).
    pub files: Vec<PathBuf>,
    /// Entries that were not read: the path and why (Chinese).
    pub refused: Vec<(PathBuf, String)>,
    /// Paths that are a file already taken (a link, or given twice): the
    /// path and the path it was first taken as.
    pub repeated: Vec<(PathBuf, PathBuf)>,
}

impl Inbox {
    /// Number of entries the batch reports on (files and refused ones).
    pub fn len(&self) -> usize {
        self.files.len() + self.refused.len()
    }

    /// True when there is nothing to report on.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Collects the .xlsx/.xls files under `paths` (directories recursively,
/// following links, each directory once so link loops end). Excel's `~$`
/// lock files and other extensions are skipped inside directories; a path
/// given by name is taken whatever its extension.
pub fn collect_files(paths: &[PathBuf]) -> Inbox {
    collect_with(paths, list_dir)
}

fn list_dir(p: &Path) -> std::io::Result<Vec<PathBuf>> {
    Ok(std::fs::read_dir(p)?.flatten().map(|e| e.path()).collect())
}

fn collect_with(paths: &[PathBuf], list: Lister) -> Inbox {
    let mut walk = Walk {
        list,
        inbox: Inbox::default(),
        dirs: HashSet::new(),
        files: HashMap::new(),
    };
    for p in paths {
        walk.visit(p, true);
    }
    walk.inbox
}

/// Lists a directory (a parameter so tests can make one unlistable even
/// when they run as root).
type Lister = fn(&Path) -> std::io::Result<Vec<PathBuf>>;

struct Walk {
    list: Lister,
    inbox: Inbox,
    dirs: HashSet<PathBuf>,
    /// Canonical path → the path it was first taken as.
    files: HashMap<PathBuf, PathBuf>,
}

impl Walk {
    fn visit(&mut self, p: &Path, given: bool) {
        let wanted = given || is_workbook(p);
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                if wanted {
                    self.refuse(p, io_text(&e));
                }
                return;
            }
        };
        if meta.is_dir() {
            self.directory(p);
        } else if wanted && !meta.is_file() {
            self.refuse(p, "不是普通文件（管道、设备或套接字），未读取".into());
        } else if wanted {
            self.file(p);
        }
    }

    fn file(&mut self, p: &Path) {
        let real = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        match self.files.get(&real) {
            Some(first) => self.inbox.repeated.push((p.to_path_buf(), first.clone())),
            None => {
                self.files.insert(real, p.to_path_buf());
                self.inbox.files.push(p.to_path_buf());
            }
        }
    }

    fn directory(&mut self, p: &Path) {
        let real = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        if !self.dirs.insert(real) {
            return;
        }
        let mut children = match (self.list)(p) {
            Ok(c) => c,
            Err(e) => {
                self.refuse(p, format!("无法列出目录内容：{}", io_text(&e)));
                return;
            }
        };
        children.sort();
        for c in &children {
            self.visit(c, false);
        }
    }

    fn refuse(&mut self, p: &Path, why: String) {
        self.inbox.refused.push((p.to_path_buf(), why));
    }
}

fn is_workbook(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    !name.starts_with("~$") && matches!(ext.as_deref(), Some("xlsx" | "xls"))
}

/// The name of each file's standard workbook in `--out-dir`:
/// `STEM-预算公开表.xlsx`, made unique (case-insensitively, as some file
/// systems compare names) by adding `(2)`, `(3)` … to later files of the
/// same stem, in path order. Returns one name per file and whether it was
/// renamed.
pub fn export_names(files: &[PathBuf]) -> Vec<(String, bool)> {
    let mut taken = HashSet::new();
    files
        .iter()
        .map(|f| {
            let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or("部门");
            let mut name = format!("{stem}-预算公开表.xlsx");
            let mut n = 1;
            while !taken.insert(name.to_lowercase()) {
                n += 1;
                name = format!("{stem}({n})-预算公开表.xlsx");
            }
            (name, n > 1)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locked_is_unlistable(p: &Path) -> std::io::Result<Vec<PathBuf>> {
        if p.ends_with("locked") {
            return Err(std::io::ErrorKind::PermissionDenied.into());
        }
        list_dir(p)
    }

    #[test]
    fn batch_unlistable_subfolder_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("locked")).unwrap();
        std::fs::write(dir.path().join("locked/x.xlsx"), b"x").unwrap();
        std::fs::write(dir.path().join("a.xlsx"), b"a").unwrap();
        let inbox = collect_with(&[dir.path().to_path_buf()], locked_is_unlistable);
        assert_eq!(inbox.files, vec![dir.path().join("a.xlsx")]);
        assert_eq!(inbox.refused.len(), 1, "{inbox:?}");
        let (path, why) = &inbox.refused[0];
        assert!(path.ends_with("locked"));
        assert_eq!(why, "无法列出目录内容：没有访问权限");
    }

    #[test]
    fn same_stem_in_two_folders_gets_two_names() {
        let files = [
            PathBuf::from("d1/dept.xlsx"),
            PathBuf::from("d2/dept.xlsx"),
            PathBuf::from("d3/DEPT.xls"),
        ];
        let names = export_names(&files);
        assert_eq!(names[0], ("dept-预算公开表.xlsx".to_string(), false));
        assert_eq!(names[1], ("dept(2)-预算公开表.xlsx".to_string(), true));
        assert_eq!(names[2], ("DEPT(3)-预算公开表.xlsx".to_string(), true));
    }
}
