"""The ``skgan`` command line (``skgan._cli``), run in-process through ``main``.

What this file checks: ``fit`` then ``sample`` round-trips a CSV table (the
columns, their order and numeric dtypes, the class column, a requested class
given as a string, a string and an integer class); ``sample`` to stdout;
``resample`` balances the classes and reports the counts; ``evaluate`` prints
the metric table; mistakes (a missing file, an unknown column, an unknown
label, a tampered or foreign model file, an unknown extension, Parquet without
pyarrow) give exit code 2 and one line on stderr, never a traceback, while a
bug gives exit code 1, where it was raised and a hint at ``--debug`` (which
prints the traceback); every ``--help``, ``--version`` (without importing
torch), and ``python -m skgan``; ``demo --quick`` runs and writes its plots.

What it does not check: sample quality (the GANs are tiny and barely
trained), the full demo's scores or runtime, or Parquet output when pyarrow
is missing.
"""

import contextlib
import io
import subprocess
import sys
import zipfile

import _settings
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris

import skgan
from skgan._cli import main
from skgan._io.loading import _load_annotated

# The shared tiny settings as command-line options.
TINY = _settings.cli_args(_settings.TINY)
EPOCHS = _settings.TINY["epochs"]


def _iris():
    """Iris with a string class column in the middle and an integer column."""
    iris = load_iris(as_frame=True)
    frame = iris.frame.drop(columns="target")
    frame.insert(2, "species", iris.target_names[iris.target])
    frame["petal_count"] = (frame["petal length (cm)"] * 2).round().astype("int64")
    return frame


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """A CSV of iris, a tiny conditional model fitted by ``skgan fit``, its output."""
    folder = tmp_path_factory.mktemp("cli")
    data, model = folder / "iris.csv", folder / "iris.skgan"
    _iris().to_csv(data, index=False)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(["fit", str(data), "--target", "species", "-o", str(model), *TINY])
    assert code == 0
    return data, model, printed.getvalue()


def _errors(capsys, argv):
    """Run ``argv``; return the exit code and stderr."""
    code = main(argv)
    return code, capsys.readouterr().err


def test_fit_then_sample_keeps_columns_dtypes_and_class(fitted, tmp_path, capsys):
    data, model, _ = fitted
    out = tmp_path / "new.csv"
    code = main(
        ["sample", str(model), "-n", "40", "--label", "versicolor", "-o", str(out)]
    )
    assert code == 0
    assert f"wrote 40 rows of class versicolor to {out}" in capsys.readouterr().out
    real, new = pd.read_csv(data), pd.read_csv(out)
    assert list(new.columns) == list(real.columns)  # species back in place
    assert (new.dtypes == real.dtypes).all()
    assert new["petal_count"].dtype == np.int64
    assert (new["species"] == "versicolor").all()
    assert len(new) == 40


def test_fit_prints_a_summary(fitted):
    out = fitted[2]
    assert out.startswith("fit: 150 rows, 5 columns, 3 classes of 'species'")
    assert "setosa 50" in out
    assert f"{EPOCHS} epochs" in out


def test_the_class_column_is_kept_beside_the_model_not_in_it(fitted):
    _, model, _ = fitted
    gan, annotations = _load_annotated(model)
    assert annotations["target_name"] == "species"
    assert annotations["target_position"] == 2
    assert not hasattr(gan, "target_name_")
    assert not hasattr(skgan.load(model), "target_position_")


def test_sample_to_stdout_draws_the_class_prior(fitted, capsys):
    _, model, _ = fitted
    assert main(["sample", str(model), "-n", "30", "--random-state", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split(",")[2] == "species"
    assert len(lines) == 31
    # Each class is a third of iris: all three come in 30 rows.
    assert {line.split(",")[2] for line in lines[1:]} == {
        "setosa",
        "versicolor",
        "virginica",
    }


def test_label_matches_an_integer_class_by_its_string(tmp_path, capsys):
    frame = load_iris(as_frame=True).frame  # "target" holds ints 0, 1, 2
    data, model, out = tmp_path / "i.csv", tmp_path / "i.skgan", tmp_path / "o.csv"
    frame.to_csv(data, index=False)
    assert main(["fit", str(data), "--target", "target", "-o", str(model), *TINY]) == 0
    assert main(["sample", str(model), "-n", "10", "--label", "1", "-o", str(out)]) == 0
    new = pd.read_csv(out)
    assert list(new.columns) == list(frame.columns)
    assert new["target"].dtype == np.int64
    assert (new["target"] == 1).all()


def test_resample_balances_the_classes(tmp_path, capsys):
    frame = _iris()
    frame = pd.concat(
        [frame.iloc[:50], frame.iloc[50:70], frame.iloc[100:110]], ignore_index=True
    )
    data, out = tmp_path / "imbalanced.csv", tmp_path / "balanced.csv"
    frame.to_csv(data, index=False)
    argv = ["resample", str(data), "--target", "species", "-o", str(out), *TINY]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "80 rows -> 150 rows" in printed
    rows = {line.split()[0]: line.split()[1:] for line in printed.splitlines()[1:]}
    assert rows["species"] == ["before", "after", "added"]
    assert rows["versicolor"] == ["20", "50", "30"]
    assert rows["setosa"] == ["50", "50", "0"]
    balanced = pd.read_csv(out)
    assert list(balanced.columns) == list(frame.columns)
    assert balanced["species"].value_counts().to_dict() == {
        "setosa": 50,
        "versicolor": 50,
        "virginica": 50,
    }
    # imblearn's contract: the original rows first, unchanged.
    pd.testing.assert_frame_equal(balanced.iloc[:80], pd.read_csv(data))


def test_evaluate_prints_the_metric_table(tmp_path, capsys):
    frame = _iris()
    real, synthetic = tmp_path / "real.csv", tmp_path / "synthetic.csv"
    frame.iloc[::2].to_csv(real, index=False)
    # Columns in another order are matched by name.
    frame.iloc[1::2, ::-1].to_csv(synthetic, index=False)
    argv = ["evaluate", str(real), str(synthetic), "--target", "species"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["metric", "value", "ideal", "description"]
    for metric in ("column_shapes", "fidelity", "detection_auc", "utility_synthetic"):
        assert metric in out


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["fit", "{tmp}/absent.csv", "-o", "{tmp}/m.skgan"], "does not exist"),
        (["fit", "{data}", "--target", "colour", "-o", "{tmp}/m.skgan"], "'colour'"),
        (["fit", "{tmp}/data.txt", "-o", "{tmp}/m.skgan"], "Cannot tell the format"),
        (["fit", "{data}", "--param", "depth=3", "-o", "{tmp}/m"], "no parameter"),
        (["sample", "{model}", "-n", "5", "--label", "rose"], "'rose' is not a class"),
        (["sample", "{tmp}/absent.skgan", "-n", "5"], "does not exist"),
        (["sample", "{data}", "-n", "5"], "not an skgan model file"),
        (["evaluate", "{data}", "{tmp}/absent.csv"], "does not exist"),
    ],
)
def test_user_mistakes_exit_2_with_one_line(
    fitted, tmp_path, capsys, command, expected
):
    data, model, _ = fitted
    argv = [arg.format(tmp=tmp_path, data=data, model=model) for arg in command]
    code, err = _errors(capsys, argv)
    assert code == 2
    assert err.startswith("skgan: error: ")
    assert expected in err
    assert "Traceback" not in err
    assert err.count("\n") == 1


def test_a_tampered_model_file_exits_2(fitted, tmp_path, capsys):
    _, model, _ = fitted
    tampered = tmp_path / "tampered.skgan"
    with zipfile.ZipFile(model) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "config.json":
                content += b" "  # still valid JSON, but not what was saved
            target.writestr(item, content)
    code, err = _errors(capsys, ["sample", str(tampered), "-n", "5"])
    assert code == 2
    assert "was modified after it was saved" in err
    assert "Traceback" not in err


def test_parquet_without_pyarrow_says_how_to_install(tmp_path, capsys):
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("pyarrow is installed")
    (tmp_path / "data.parquet").write_bytes(b"PAR1")
    argv = ["fit", str(tmp_path / "data.parquet"), "-o", str(tmp_path / "m.skgan")]
    code, err = _errors(capsys, argv)
    assert code == 2
    assert "pip install pyarrow" in err


def test_parquet_round_trip_keeps_every_dtype(fitted, tmp_path):
    pytest.importorskip("pyarrow")
    data, _, _ = fitted
    parquet, model, out = (
        tmp_path / "iris.parquet", tmp_path / "m.skgan", tmp_path / "new.parquet"
    )  # fmt: skip
    real = pd.read_csv(data).astype({"species": "category"})
    real.to_parquet(parquet)
    argv = ["fit", str(parquet), "--target", "species", "-o", str(model), *TINY]
    assert main(argv) == 0
    assert main(["sample", str(model), "-n", "20", "-o", str(out)]) == 0
    new = pd.read_parquet(out)
    assert list(new.columns) == list(real.columns)
    assert (new.dtypes == real.dtypes).all()  # the class column stays a category


@pytest.mark.parametrize(
    "command", [[], ["fit"], ["sample"], ["resample"], ["evaluate"], ["demo"]]
)
def test_help_exits_0(capsys, command):
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: skgan")
    if not command:
        for name in ("fit", "sample", "resample", "evaluate", "demo"):
            assert name in out


def test_version_and_missing_command(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"skgan {skgan.__version__}"
    assert main([]) == 2
    assert "required: COMMAND" in capsys.readouterr().err


def test_python_m_skgan_help():
    result = subprocess.run(
        [sys.executable, "-m", "skgan", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: skgan")


def test_python_OO_imports_every_module_and_answers_help():
    # -OO strips docstrings; nothing may format or parse one at import time.
    code = (
        "import importlib, pkgutil, skgan\n"
        "for m in pkgutil.walk_packages(skgan.__path__, 'skgan.'):\n"
        "    importlib.import_module(m.name)\n"
        "for name in skgan.__all__:\n"
        "    getattr(skgan, name)\n"
    )
    for argv in (["-c", code], ["-m", "skgan", "--help"]):
        result = subprocess.run(
            [sys.executable, "-OO", *argv], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr


def test_demo_quick_prints_reports_and_writes_plots(tmp_path, capsys):
    outdir = tmp_path / "demo"
    assert main(["demo", "--quick", "-o", str(outdir)]) == 0
    out = capsys.readouterr().out
    for text in ("SMOTE", "GANSampler", "G-mean", "detection_auc", "digits"):
        assert text in out
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert "pip install skgan[plot]" in out
    else:
        for name in ("losses.png", "marginals.png", "digits.png"):
            assert (outdir / name).stat().st_size > 1000


def _imbalanced_iris(path):
    frame = _iris()
    frame = pd.concat([frame.iloc[:50], frame.iloc[50:70]], ignore_index=True)
    frame.to_csv(path, index=False)
    return frame


def test_resample_to_stdout_writes_only_the_table(tmp_path, capsys):
    data = tmp_path / "imbalanced.csv"
    frame = _imbalanced_iris(data)
    code = main(["resample", str(data), "--target", "species", "-o", "-", *TINY])
    captured = capsys.readouterr()
    assert code == 0
    table = pd.read_csv(io.StringIO(captured.out))
    assert list(table.columns) == list(frame.columns) and len(table) == 100
    assert "70 rows -> 100 rows" in captured.err


@pytest.mark.parametrize(
    ("command", "output", "match"),
    [
        ("fit", "missing_dir/m.skgan", "does not exist"),
        ("resample", "out.xlsx", "Cannot tell the format"),
        ("resample", "missing_dir/out.csv", "does not exist"),
        ("fit", "DATA", "is the input file"),
        ("resample", "DATA", "is the input file"),
    ],
)
def test_outputs_are_checked_before_training(
    tmp_path, capsys, monkeypatch, command, output, match
):
    data = tmp_path / "data.csv"
    _imbalanced_iris(data)
    before = data.read_bytes()
    output = str(data) if output == "DATA" else str(tmp_path / output)
    monkeypatch.setattr(skgan.GANSampler, "_fit", lambda *a: pytest.fail("trained"))
    argv = [command, str(data), "--target", "species", "-o", output, *TINY]
    code, err = _errors(capsys, argv)
    assert code == 2 and match in err
    assert data.read_bytes() == before


def test_strategy_given_twice_is_refused(tmp_path, capsys, monkeypatch):
    data = tmp_path / "data.csv"
    _imbalanced_iris(data)
    monkeypatch.setattr(skgan.GANSampler, "_fit", lambda *a: pytest.fail("trained"))
    argv = ["resample", str(data), "--target", "species", "-o", str(tmp_path / "o.csv"),
            "--strategy", "minority", "--param", "sampling_strategy={'versicolor': 60}",
            *TINY]  # fmt: skip
    code, err = _errors(capsys, argv)
    assert code == 2 and "give one of them" in err


def test_param_strategy_is_used_when_alone(tmp_path, capsys):
    data, out = tmp_path / "data.csv", tmp_path / "out.csv"
    _imbalanced_iris(data)
    argv = ["resample", str(data), "--target", "species", "-o", str(out),
            "--param", "sampling_strategy={'versicolor': 35}", *TINY]  # fmt: skip
    assert main(argv) == 0
    assert pd.read_csv(out)["species"].value_counts()["versicolor"] == 35


def test_ctrl_c_during_fit_exits_130_and_keeps_the_old_model(
    fitted, tmp_path, capsys, monkeypatch
):
    import signal

    data, model, _ = fitted
    kept = tmp_path / "kept.skgan"
    kept.write_bytes(model.read_bytes())
    real_fit = skgan.GANSampler._fit

    def interrupted_fit(self, X, y):
        real_fit(self, X, y)  # trains, then the user presses Ctrl-C ...
        with contextlib.suppress(KeyboardInterrupt):  # ... which skorch swallows
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(skgan.GANSampler, "_fit", interrupted_fit)
    argv = ["fit", str(data), "--target", "species", "-o", str(kept), *TINY]
    code, err = _errors(capsys, argv)
    assert code == 130
    assert f"interrupted after {EPOCHS} of {EPOCHS} epochs" in err
    assert "was not written" in err
    assert kept.read_bytes() == model.read_bytes()


def test_semicolon_csv_is_sniffed_and_learnt_by_column(tmp_path, capsys):
    data, model = tmp_path / "semi.csv", tmp_path / "semi.skgan"
    frame = _iris()
    frame.to_csv(data, index=False, sep=";")
    argv = ["fit", str(data), "--target", "species", "-o", str(model), *TINY]
    assert main(argv) == 0
    assert "warning" not in capsys.readouterr().err
    out = tmp_path / "out.csv"
    assert main(["sample", str(model), "-n", "20", "-o", str(out)]) == 0
    assert list(pd.read_csv(out).columns) == list(frame.columns)


def test_latin1_csv_reads_with_encoding_and_says_so_without(tmp_path, capsys):
    data, out = tmp_path / "latin.csv", tmp_path / "out.csv"
    frame = _iris()
    frame["species"] = frame["species"].str.replace("setosa", "sétosa")
    frame.to_csv(data, index=False, encoding="latin-1")
    argv = ["resample", str(data), "--target", "species", "-o", str(out), *TINY]
    code, err = _errors(capsys, argv)
    assert code == 2 and "--encoding" in err
    assert main([*argv, "--encoding", "latin-1"]) == 0


def test_a_table_that_stays_one_text_column_gets_a_warning(tmp_path, capsys):
    data = tmp_path / "odd.csv"
    data.write_text("a b c\n" + "\n".join(f"{i} x{i} {i % 3}" for i in range(60)))
    main(["fit", str(data), "-o", str(tmp_path / "m.skgan"), *TINY])
    err = capsys.readouterr().err
    assert "single text column" in err and "mostly unique text" in err


def test_dates_round_trip_through_the_command_line(tmp_path, capsys):
    rng = np.random.default_rng(0)
    n = 150
    frame = _iris().iloc[:n].copy()
    frame["visit"] = pd.Timestamp("2023-01-01") + pd.to_timedelta(
        rng.integers(0, 300, n), unit="D"
    )
    frame.loc[rng.random(n) < 0.2, "visit"] = pd.NaT
    frame["seen"] = pd.Timestamp("2024-06-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 10**6, n), unit="s"
    )
    data, model, out = tmp_path / "d.csv", tmp_path / "d.skgan", tmp_path / "o.csv"
    frame.to_csv(data, index=False)  # ISO 8601 text
    assert main(["fit", str(data), "--target", "species", "-o", str(model), *TINY]) == 0
    assert main(["sample", str(model), "-n", "200", "-o", str(out)]) == 0
    back = pd.read_csv(out)
    visit = pd.to_datetime(back["visit"], format="ISO8601")
    assert visit.dropna().nunique() > 10  # dates drawn, not one repeated
    assert (visit.dropna() == visit.dropna().dt.normalize()).all()  # still dates
    seen = pd.to_datetime(back["seen"], format="ISO8601")
    assert str(seen.dt.tz) == "UTC"
    assert visit.isna().any()  # missing dates are generated too


def test_summer_time_offsets_are_learnt_as_time_not_copied_text(tmp_path, capsys):
    # Written from a DST zone, the CSV holds two offsets (-05:00 and -04:00);
    # only even hours of the day are in it.
    rng = np.random.default_rng(0)
    n = 300
    hours = 2 * pd.to_timedelta(rng.integers(0, 365 * 12, n), unit="h")
    stamps = pd.Timestamp("2013-01-01", tz="America/New_York") + hours
    frame = pd.DataFrame({"when": stamps, "x": rng.normal(size=n)})
    data, model, out = tmp_path / "d.csv", tmp_path / "d.skgan", tmp_path / "o.csv"
    frame.to_csv(data, index=False)
    assert {text[-6:] for text in pd.read_csv(data)["when"]} == {"-05:00", "-04:00"}
    assert main(["fit", str(data), "-o", str(model), *TINY]) == 0
    assert "unique text" not in capsys.readouterr().err
    assert skgan.load(model).encoder_.column_kinds_[0] == "time"
    assert main(["sample", str(model), "-n", "300", "-o", str(out)]) == 0
    when = pd.to_datetime(pd.read_csv(out)["when"], format="ISO8601")
    assert str(when.dt.tz) == "UTC"
    assert (when.dt.hour % 2 == 1).any()  # hours the file never held


def test_named_text_that_is_not_a_date_is_refused(tmp_path, capsys):
    data = tmp_path / "d.csv"
    _iris().to_csv(data, index=False)
    argv = ["fit", str(data), "--dates", "species", "-o", str(tmp_path / "m"), *TINY]
    code, err = _errors(capsys, argv)
    assert code == 2 and "does not read as dates" in err


def test_progress_bar_on_request_and_none_in_logs(tmp_path, capsys):
    data = tmp_path / "d.csv"
    _iris().to_csv(data, index=False)
    argv = ["fit", str(data), "-o", str(tmp_path / "m.skgan"), *TINY]
    assert main(argv) == 0  # stderr is not a terminal here: no bar
    assert "epoch" not in capsys.readouterr().err
    assert main([*argv, "--progress"]) == 0
    assert f"{EPOCHS}/{EPOCHS}" in capsys.readouterr().err


def test_a_table_from_standard_input(tmp_path, capsys, monkeypatch):
    text = _iris().to_csv(index=False, sep=";")
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    model = tmp_path / "m.skgan"
    assert main(["fit", "-", "--target", "species", "-o", str(model), *TINY]) == 0
    assert "150 rows, 5 columns" in capsys.readouterr().out  # sniffed: ;


@pytest.mark.parametrize(
    ("option", "value", "match"),
    [
        ("--strategy", "2", "ratio above 0 and at most 1"),
        ("--strategy", "0", "ratio above 0 and at most 1"),
        ("--random-state", "-1", "from 0 to 4294967295"),
        ("--random-state", "seven", "from 0 to 4294967295"),
    ],
)
def test_out_of_range_options_say_what_is_expected(
    tmp_path, capsys, option, value, match
):
    argv = ["resample", "x.csv", "--target", "t", "-o", str(tmp_path / "o.csv"),
            option, value]  # fmt: skip
    code, err = _errors(capsys, argv)
    assert code == 2 and match in err


def test_sample_draws_a_bar_of_rows_on_request(fitted, tmp_path, capsys):
    _, model, _ = fitted
    argv = ["sample", str(model), "-n", "100000", "-o", str(tmp_path / "n.csv")]
    assert main(argv) == 0
    assert "generating" not in capsys.readouterr().err
    assert main([*argv, "--progress"]) == 0
    assert "100k/100k" in capsys.readouterr().err


def _raise_from_numpy(self, X, y):
    np.zeros(2) + np.zeros(3)  # a bug: numpy raises a ValueError


def test_a_bug_exits_1_and_says_where_and_how_to_see_more(
    tmp_path, capsys, monkeypatch
):
    data = tmp_path / "d.csv"
    _iris().to_csv(data, index=False)
    monkeypatch.setattr(skgan.GANSampler, "_fit", _raise_from_numpy)
    argv = ["fit", str(data), "-o", str(tmp_path / "m.skgan")]
    code, err = _errors(capsys, argv)
    assert code == 1
    assert "unexpected error (" in err and "test_cli.py" in err
    assert "ValueError: operands could not be broadcast" in err
    assert "--debug" in err and "Traceback" not in err
    code, err = _errors(capsys, [*argv, "--debug"])
    assert code == 1 and "Traceback (most recent call last)" in err


def test_debug_shows_the_traceback_of_a_user_error_too(capsys):
    code, err = _errors(capsys, ["sample", "missing.skgan", "-n", "1", "--debug"])
    assert code == 2
    assert "Traceback" in err and err.rstrip().endswith("does not exist.")


def test_version_answers_without_importing_torch():
    code = (
        "import sys; from skgan._cli import main; main(['--version']); "
        "assert 'torch' not in sys.modules and 'pandas' not in sys.modules"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("skgan ")
