"""The one compiled module, the page walk (crawler/extract/walk.pyx); everything else
is declared in pyproject.toml. It is built against lxml's public C API, whose headers
lxml's wheels carry."""

import lxml
from Cython.Build import cythonize
from setuptools import Extension, setup

setup(
    ext_modules=cythonize(
        [
            Extension(
                "crawler.extract.walk",
                ["crawler/extract/walk.pyx"],
                include_dirs=lxml.get_include(),
            )
        ],
        compiler_directives={"language_level": 3},
    )
)
