"""The corpus on disk.

* ``paths`` -- where a corpus's files live, and the one document id (``document_id``,
  ``check_document_id``) every id read from a file or the command line passes;
* ``writes`` -- atomic single writes, all-or-nothing ``StagedWrites``, command outputs;
* ``flush`` -- the staged files' fsyncs, in background threads, all before a commit's renames;
* ``formats`` -- the one TSV reader/writer, aligned TSV, English text, meta.json, manifest;
* ``snapshot`` -- the one reader of whole builds (export, review, qa);
* ``lock`` -- one writer at a time; ``settings`` -- ``settings.yaml``;
* ``corrections`` -- the reviewer's log file; ``actions`` -- applying and recording it.
"""
