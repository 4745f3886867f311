"""Every write of the assessments app, one module per sub-domain:
``questionnaires``, ``cycles`` (with the available-assistance ``survey``), ``responses``,
``contributors`` and ``needs``."""
