"""Pages that exist only in the build, made to survive mkdocs-static-i18n.

MkDocs' way is File.generated(config, src_uri, content=…). But the i18n
plugin, in its on_files (priority -100), re-creates every File from its path
on disk and drops the content of a generated one, and it only takes files
whose source path lies in docs_dir. So a generated page gets a source path
in docs_dir that does not exist, and its content is handed back after the
plugin has run (priority -110). Nothing is written into the source tree.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files


def add_generated(files: Files, config: MkDocsConfig, contents: Mapping[str, str]) -> Files:
    """Add a page for each src_uri -> Markdown that docs_dir does not already hold. Before i18n."""
    for src_uri, content in contents.items():
        if src_uri not in files.src_uris and files.get_file_from_path(src_uri) is None:
            file = File.generated(config, src_uri, content=content)
            file.abs_src_path = str(Path(config.docs_dir) / src_uri)
            files.append(file)
    return files


def restore_generated(files: Files, contents: Mapping[str, str]) -> Files:
    """Give the generated pages their content back. After i18n."""
    for file in files:
        content = contents.get(file.src_uri)
        if content is not None and file.abs_src_path and not Path(file.abs_src_path).exists():
            file.content_string = content
    return files
