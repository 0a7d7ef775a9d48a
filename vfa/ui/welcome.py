"""The first-run view: try the demo, start an empty workspace, or open one."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class WelcomeView(QWidget):
    demo_requested = Signal()
    new_requested = Signal()
    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        title = QLabel(self.tr("Welcome to VFA"))
        title.setStyleSheet("font-size: 22pt; font-weight: 600")
        text = QLabel(
            self.tr(
                "Video Feedback Annotator: review parent–infant clips, tag strength moments, "
                "code with structured schemes and check reliability.\n\n"
                "Video files stay where they are; VFA keeps your annotations in a workspace "
                "and makes no network connections."
            )
        )
        text.setWordWrap(True)
        self.demo = QPushButton(self.tr("Open the demo workspace"))
        self.demo.setObjectName("welcomeDemo")
        self.new = QPushButton(self.tr("Create a new empty workspace…"))
        self.new.setObjectName("welcomeNew")
        self.open = QPushButton(self.tr("Open a workspace…"))
        self.open.setObjectName("welcomeOpen")
        self.demo.clicked.connect(self.demo_requested)
        self.new.clicked.connect(self.new_requested)
        self.open.clicked.connect(self.open_requested)
        # a fixed-width column, so that the wrapped text gets the height it needs
        column = QWidget()
        column.setFixedWidth(540)
        column_layout = QVBoxLayout(column)
        column_layout.setSpacing(10)
        column_layout.addWidget(title)
        column_layout.addWidget(text)
        # nested layouts under-measure wrapped labels: reserve the wrapped height
        margins = column_layout.contentsMargins()
        text.setMinimumHeight(text.heightForWidth(540 - margins.left() - margins.right()))
        column_layout.addSpacing(12)
        for button in (self.demo, self.new, self.open):
            column_layout.addWidget(button)
        self.demo.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(column, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
