import pathlib
import subprocess
import sys

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def test_quickstart_trains_saves_reloads_and_exports(tmp_path):
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "quickstart.py"), "--epochs", "1",
         "--output-dir", str(tmp_path)],
        check=True, capture_output=True, text=True, timeout=600,
    )
    assert "same predictions" in result.stdout
    assert "serving signature gives the same predictions" in result.stdout
    assert (tmp_path / "model.keras").is_file()
    assert (tmp_path / "saved_model" / "saved_model.pb").is_file()
