// Helpers for tests that drive a ChatView (header only: the test links qalam_ui).
#pragma once

#include "ui/ChatView.h"

#include <QPoint>
#include <QTextBlock>
#include <QTextLayout>

namespace qalam::test {

// A point inside the first occurrence of `needle` in a message, in viewport coordinates; null
// when the message does not show it.
inline QPoint pointOfText(const ChatView &view, int message, const QString &needle)
{
    const MessageLayout &layout = view.messageLayout(message);
    for (int i = 0; i < layout.blockCount(); ++i) {
        const BlockDocument *document = layout.block(i);
        for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
            const int at = int(block.text().indexOf(needle));
            if (at < 0)
                continue;
            const QTextLayout *textLayout = block.layout();
            const QTextLine line = textLayout->lineForTextPosition(at + 1);
            const qreal x = line.cursorToX(at + 1);
            const QPointF local =
                textLayout->position() + QPointF(x + 1, line.y() + line.height() / 2);
            return view.messageContentRect(message).topLeft() + QPoint(0, layout.blockTop(i)) +
                   local.toPoint();
        }
    }
    return {};
}

} // namespace qalam::test
