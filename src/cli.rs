//! Argument parsing and reporting for the binary: each command is parsed,
//! handed to its library call in `budgetkit::commands` (outputs checked
//! first by `check_output`), and its result printed through [`output`],
//! which never panics, and mapped to the exit status.

mod output;
mod usage;

use budgetkit::commands::{
    self, check_output, ExportOptions, Outcome, OutputKind, ValidateOptions,
};
use budgetkit::spec::Template;
use budgetkit::Error;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use output::{emit, note};
use std::path::{Path, PathBuf};

/// 部门预算公开表工具：读取、审核、生成、转换部门预算公开工作簿。
#[derive(Debug, Parser)]
#[command(
    name = "budgetkit",
    version,
    about = "部门预算公开表工具：读取、审核、生成、转换部门预算公开工作簿（预算公开表1–13 与绩效目标表）",
    long_about = "部门预算公开表工具：读取部门填报的工作簿（.xlsx/.xls），审核表内表间关系，\n生成标准格式的预算公开表1–13 及绩效目标表。\n\n退出码：0 完成且无错误；1 发现错误（export 不写出文件，除非 --force）；2 输入无法读取或用法错误。",
    after_help = "示例：\n  budgetkit validate samples/shuozhou-investment-2025.xlsx\n  budgetkit validate 部门.xlsx --format json --annotate 审核结果.xlsx\n  budgetkit export samples/shuozhou-investment-2025.xlsx -o 预算公开表.xlsx\n  budgetkit import samples/shuozhou-investment-2025.xlsx -o model.json"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 读取工作簿，输出标准模型（JSON，默认输出到屏幕）
    Import {
        /// 部门填报的工作簿（.xlsx/.xls）或 JSON 模型
        input: PathBuf,
        /// 写入此 JSON 文件（原子写入）
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 读取所用模板（模板编号或 .toml 文件；默认按工作簿的表名自动识别）
        #[arg(long)]
        template: Option<String>,
    },
    /// 生成标准格式的预算公开表（按所读模板的版式，或 --template 指定的版式）及绩效目标表，
    /// 末页“图表”为一般公共预算当年拨款结构图与三公经费分布图（引用表中单元格，改表即改图）
    Export {
        /// 部门填报的工作簿（.xlsx/.xls）或 JSON 模型
        input: PathBuf,
        /// 输出工作簿（.xlsx），先写临时文件再改名
        #[arg(short, long)]
        output: PathBuf,
        /// 输出所用模板（模板编号或 .toml 文件；默认与读取所用模板相同）
        #[arg(long)]
        template: Option<String>,
        /// 读取所用模板（默认按工作簿自动识别；工作簿与 --template 同样吻合时用 --template）
        #[arg(long)]
        from: Option<String>,
        /// 即使审核发现错误也写出
        #[arg(long)]
        force: bool,
    },
    /// 审核表内、表间关系（退出码：0 无错误，1 有错误，2 无法读取）
    #[command(
        after_help = "报告列出每条发现比较的每个单元格（工作表!A1）。规则目录见 budgetkit rules。\n--annotate 写出一份工作簿：首页“审核结果”列出全部发现并链接到单元格，\n有问题的单元格标红（错误）或标黄（提示）并附批注。\n--narrative 同时核对文字说明（情况说明）中的数字（sh-2026 不给 --narrative 时核对工作簿自带的编制说明表），--prior 给出上年的填报以核对“比上年增长/减少”：\n  budgetkit validate 部门.xlsx --narrative 情况说明.docx --prior 上年.xlsx"
    )]
    Validate {
        /// 部门填报的工作簿（.xlsx/.xls）或 JSON 模型
        input: PathBuf,
        /// 输出格式
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// 另写出标注了问题单元格的工作簿（先写临时文件再改名）
        #[arg(long, value_name = "OUT.xlsx")]
        annotate: Option<PathBuf>,
        /// 读取所用模板（模板编号或 .toml 文件；默认按工作簿的表名自动识别）
        #[arg(long)]
        template: Option<String>,
        /// 同时核对文字说明（情况说明，.docx/.txt/.md）中的每个数字与表中是否一致
        #[arg(long, value_name = "TEXT")]
        narrative: Option<PathBuf>,
        /// 上年的部门填报（.xlsx/.xls/JSON），用于核对“比上年增长/减少”的数字
        #[arg(long, value_name = "PRIOR")]
        prior: Option<PathBuf>,
    },
    /// 由表中数字起草文字说明（情况说明），按模板的章节写出 .md/.txt/.docx
    #[command(after_help = usage::NARRATIVE_HELP)]
    Narrative {
        /// 部门填报的工作簿（.xlsx/.xls）或 JSON 模型
        input: PathBuf,
        /// 输出文件（.md、.txt 或 .docx），先写临时文件再改名
        #[arg(short, long)]
        output: PathBuf,
        /// 上年的部门填报（.xlsx/.xls/JSON）：有了它，“比上年增长/减少”的数字也由表计算
        #[arg(long, value_name = "PRIOR")]
        prior: Option<PathBuf>,
        /// 读取所用模板（模板编号或 .toml 文件；默认按工作簿的表名自动识别）
        #[arg(long)]
        template: Option<String>,
    },
    /// 列出审核规则目录（编号、级别、说明）
    Rules {
        /// 输出格式：text 或 markdown（docs/rules.md 即由此生成）
        #[arg(long, value_enum, default_value_t = CatalogFormat::Text)]
        format: CatalogFormat,
    },
    /// 批量审核：并行审核目录或文件列表中的全部 .xlsx/.xls，输出汇总
    #[command(
        after_help = "示例：\n  budgetkit batch 收件箱/ --report 审核汇总.xlsx --out-dir 公开表/\n  budgetkit batch 收件箱/ --format json > 结果.json\n\n退出码：全部通过为 0；任一文件有错误或无法读取为 1；用法错误为 2。"
    )]
    Batch {
        /// 目录（递归查找 .xlsx/.xls）或文件
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// 输出格式
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// 写出汇总工作簿：每个文件的状态与关键数字，以及全部审核发现
        #[arg(long)]
        report: Option<PathBuf>,
        /// 为每个通过审核的部门写出标准预算公开表
        #[arg(long)]
        out_dir: Option<PathBuf>,
        /// 写出全部通过审核部门的汇总表（标准格式）
        #[arg(long)]
        consolidate: Option<PathBuf>,
        /// 并行线程数（默认为 CPU 核数；最多为核数的 4 倍，且不超过 64，多给的按上限）
        #[arg(long, default_value_t = 0)]
        jobs: usize,
        /// 读取所用模板（模板编号或 .toml 文件）。一批文件按同一模板读取；
        /// 找不到此模板任何一张表的文件报“无法读取”，并说明它像哪个内置模板
        #[arg(long, default_value = "sx-2025")]
        template: String,
    },
    /// 列出内置模板：每行一个模板编号及其说明
    Templates,
    /// 生成发给部门的空白填报工作簿（含填报说明、下拉科目编码、金额校验、公式合计，已保护）
    Template {
        /// 模板（模板编号或 .toml 文件）
        #[arg(long, default_value = "sx-2025")]
        template: String,
        /// 输出工作簿（.xlsx），先写临时文件再改名
        #[arg(short, long)]
        output: PathBuf,
        /// 部门名称（可留空，由部门在“填报说明”中填写）
        #[arg(long)]
        department: Option<String>,
        /// 预算年度（默认为明年）
        #[arg(long)]
        year: Option<i32>,
        /// 预备的空白项目绩效目标表张数（不够时可在 Excel 中复制工作表）
        #[arg(long, default_value_t = budgetkit::views::DEFAULT_PROJECT_FORMS)]
        projects: usize,
    },
    /// 把一种模板版本的工作簿转换为另一种（自动识别来源版本）
    #[command(
        after_help = "资金来源不能一一对应时（如 财政专户管理资金/单位资金 ↔ 事业收入/事业单位经营收入/其他收入），\n按目标模板文件中 [[source_map]] 的默认对应处理，并逐笔提示移动的金额及其单元格。\n目标模板需要而来源版本没有的表会逐一列出，退出码 1、不写出文件，除非加 --force。"
    )]
    Convert {
        /// 部门填报的工作簿（.xlsx/.xls）或 JSON 模型
        input: PathBuf,
        /// 目标模板（模板编号或 .toml 文件），见 budgetkit templates
        #[arg(long)]
        to: String,
        /// 输出工作簿（.xlsx），先写临时文件再改名
        #[arg(short, long)]
        output: PathBuf,
        /// 来源模板（默认按表名和表头自动识别）
        #[arg(long)]
        from: Option<String>,
        /// 即使有错误（含缺少的表）也写出
        #[arg(long)]
        force: bool,
    },
}

/// Output format of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// 可读的中文报告
    Text,
    /// JSON（供脚本使用）
    Json,
}

/// Output format of `rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CatalogFormat {
    /// 纯文本
    Text,
    /// Markdown
    Markdown,
}

/// Runs the command line and returns the exit status.
pub fn run() -> i32 {
    let parsed = chinese_value_names(Cli::command())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            let (text, to_stderr, code) = usage::explain(&e);
            if to_stderr {
                note(text.trim_end());
            } else if let Err(e) = emit(&text) {
                note(&format!("错误：{e}"));
                return 2;
            }
            return code;
        }
    };
    match dispatch(cli.command) {
        Ok(code) => code,
        Err(e) => {
            note(&format!("错误：{e}"));
            2
        }
    }
}

/// The placeholders of help and usage (`<INPUT>` …) in Chinese.
fn chinese_value_names(cmd: clap::Command) -> clap::Command {
    cmd.mut_subcommands(|sc| {
        sc.mut_args(|a| {
            let name = match a.get_id().as_str() {
                "input" => "输入文件",
                "output" => "输出文件",
                "paths" => "目录或文件",
                "format" => "格式",
                "template" | "from" | "to" => "模板",
                "report" | "consolidate" | "annotate" => "OUT.xlsx",
                "out_dir" => "目录",
                "narrative" => "TEXT",
                "prior" => "PRIOR",
                "jobs" => "线程数",
                "department" => "部门名称",
                "year" => "年度",
                _ => return a,
            };
            if a.get_action().takes_values() {
                a.value_name(name)
            } else {
                a
            }
        })
    })
}

/// The template given by `--template`, or the one `input` was filled in
/// (the best fit among the built-in templates; a JSON model names its own).
fn template_or_detected(id: Option<&str>, input: &Path) -> Result<Template, Error> {
    match id {
        Some(id) => Template::load(id),
        None => commands::template_of(input),
    }
}

fn dispatch(command: Command) -> Result<i32, Error> {
    match command {
        Command::Import {
            input,
            output,
            template,
        } => {
            if let Some(out) = &output {
                check_output(out, OutputKind::Json, &[&input])?;
            }
            let (template, sheets) = commands::template_and_sheets(template.as_deref(), &input)?;
            let (json, outcome) =
                commands::import_sheets(&input, sheets, output.as_deref(), &template)?;
            if output.is_none() {
                emit(&json)?;
            }
            report(&outcome);
            Ok(outcome.exit_code())
        }
        Command::Export {
            input,
            output,
            template,
            from,
            force,
        } => {
            check_output(&output, OutputKind::Workbook, &[&input])?;
            let given = template.as_deref().map(Template::load).transpose()?;
            // The sheets read to find the template are the ones exported.
            let (read_template, sheets) = match (&from, &given) {
                (Some(id), _) => (Template::load(id)?, None),
                (None, Some(t)) => commands::reading_template_and_sheets(&input, t)?,
                (None, None) => commands::template_and_sheets(None, &input)?,
            };
            let write_template = given.unwrap_or_else(|| read_template.clone());
            let opts = ExportOptions {
                read_template: &read_template,
                write_template: &write_template,
                force,
            };
            let outcome = commands::export_sheets(&input, sheets, &output, &opts)?;
            report(&outcome);
            note(&outcome.written_note(&output));
            Ok(outcome.exit_code())
        }
        Command::Validate {
            input,
            format,
            annotate,
            template,
            narrative,
            prior,
        } => {
            if let Some(out) = &annotate {
                check_output(out, OutputKind::Workbook, &[&input])?;
            }
            let (template, sheets) = commands::template_and_sheets(template.as_deref(), &input)?;
            let opts = ValidateOptions {
                template: &template,
                annotate: annotate.as_deref(),
            };
            let report = commands::validate_sheets(&input, sheets, &opts, |sub, sheets| {
                let text = narrative.as_deref();
                commands::narrative_findings(sub, sheets, text, prior.as_deref(), &template)
            })?;
            match format {
                Format::Text => emit(&report.to_text())?,
                Format::Json => emit(&report.to_json())?,
            }
            if let Some(a) = &report.annotation {
                note(&a.message);
            }
            Ok(report.exit_code())
        }
        Command::Narrative {
            input,
            output,
            prior,
            template,
        } => {
            let template = template_or_detected(template.as_deref(), &input)?;
            let opts = commands::NarrativeOptions {
                template: &template,
                prior: prior.as_deref(),
            };
            let outcome = commands::write_narrative(&input, &output, &opts)?;
            report(&outcome);
            if prior.is_none() {
                note("未给出 --prior：与上年比较的数字留作“……”，请补上或给出上年的填报。");
            }
            note(&format!("已写出 {}", output.display()));
            Ok(0)
        }
        Command::Rules { format } => {
            match format {
                CatalogFormat::Text => emit(&budgetkit::rules::catalog_text())?,
                CatalogFormat::Markdown => emit(&budgetkit::rules::catalog_markdown())?,
            }
            Ok(0)
        }
        Command::Batch {
            paths,
            format,
            report,
            out_dir,
            consolidate,
            jobs,
            template,
        } => {
            let template = Template::load(&template)?;
            let inbox = commands::collect_files(&paths);
            if inbox.is_empty() {
                note("错误：所给路径下没有 .xlsx/.xls 文件");
                return Ok(2);
            }
            commands::check_batch_outputs(&inbox, report.as_deref(), consolidate.as_deref())?;
            let threads = commands::effective_jobs(jobs);
            if jobs > threads {
                note(&format!(
                    "注意：--jobs {jobs} 超过上限，按 {threads} 个线程运行（上限为 CPU 核数的 4 倍，且不超过 {}）",
                    commands::MAX_JOBS
                ));
            }
            let opts = commands::BatchOptions {
                template: &template,
                jobs: threads,
                out_dir,
                keep_models: consolidate.is_some(),
                progress: true,
            };
            let result = commands::batch_inbox(&inbox, &opts)?;
            match format {
                Format::Text => emit(&commands::text_report(&result))?,
                Format::Json => emit(&result.to_json())?,
            }
            let mut code = result.exit_code();
            if let Some(path) = &report {
                match commands::write_report(&result, path) {
                    Ok(()) => note(&format!("已写出汇总 {}", path.display())),
                    Err(e) => {
                        note(&format!("错误：{e}"));
                        code = 2;
                    }
                }
            }
            if let Some(path) = &consolidate {
                let n = commands::write_consolidated(&result, &template, path)?;
                note(&format!("已写出 {} 个部门的汇总表 {}", n, path.display()));
            }
            Ok(code)
        }
        Command::Template {
            template,
            output,
            department,
            year,
            projects,
        } => {
            check_output::<&Path>(&output, OutputKind::Workbook, &[])?;
            let template = Template::load(&template)?;
            let opts = commands::FillInOptions {
                template: &template,
                department,
                year,
                fill: None,
                projects,
            };
            commands::fill_in_template(&output, &opts)?;
            note(&format!(
                "已写出 {}（模板 {}）",
                output.display(),
                template.id
            ));
            Ok(0)
        }
        Command::Templates => {
            emit(&commands::templates_text()?)?;
            Ok(0)
        }
        Command::Convert {
            input,
            to,
            output,
            from,
            force,
        } => {
            check_output(&output, OutputKind::Workbook, &[&input])?;
            let to = Template::load(&to)?;
            let from = from.as_deref().map(Template::load).transpose()?;
            let opts = commands::ConvertOptions {
                to: &to,
                from: from.as_ref(),
                force,
            };
            let done = commands::convert(&input, &output, &opts)?;
            note(&done.templates_note(&to));
            report(&done.outcome);
            note(&done.outcome.written_note(&output));
            Ok(done.outcome.exit_code())
        }
    }
}

/// Prints each finding of `outcome` to standard error.
fn report(outcome: &Outcome) {
    for line in outcome.lines() {
        note(&line);
    }
}
