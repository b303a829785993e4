"""The OzML language server (``ozml lsp``; needs the ``lsp`` extra: pygls and lsprotocol).

Nothing outside this package imports it, so ``ozml check`` never loads pygls.
"""
