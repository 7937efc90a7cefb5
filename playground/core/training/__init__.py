"""The one training loop every task shares (:mod:`.loop`), the hooks a task fills in (:mod:`.task`),
the contract callers use (:mod:`.contract`), callbacks (:mod:`.callbacks`) and :func:`make_trainer`."""
