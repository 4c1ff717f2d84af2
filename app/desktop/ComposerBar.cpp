#include "ComposerBar.h"

#include "Composer.h"
#include "ThemeManager.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>

namespace qalam {

namespace {
// Around the rounded field, and inside it around the text and the button.
constexpr int kOuterMarginX = 16;
constexpr int kOuterMarginTop = 8;
constexpr int kOuterMarginBottom = 12;
constexpr int kInnerMargin = 6;
constexpr qreal kRadius = 12;
} // namespace

ComposerBar::ComposerBar(const ThemeManager *theme, QWidget *parent)
    : QWidget(parent), m_theme(theme), m_composer(new Composer(this)),
      m_sendButton(new QPushButton(this))
{
    setObjectName(QStringLiteral("composerBar"));
    // The bar continues the chat's background; the field is drawn on it (paintEvent).
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    m_sendButton->setObjectName(QStringLiteral("sendButton"));
    m_sendButton->setDefault(true);
    m_sendButton->setIconSize(QSize(18, 18));
    m_sendButton->setCursor(Qt::PointingHandCursor);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(kOuterMarginX + kInnerMargin, kOuterMarginTop + kInnerMargin,
                               kOuterMarginX + kInnerMargin, kOuterMarginBottom + kInnerMargin);
    layout->setSpacing(kInnerMargin);
    layout->addWidget(m_composer, 1);
    layout->addWidget(m_sendButton, 0, Qt::AlignBottom);

    m_composer->installEventFilter(this);
    connect(m_composer, &Composer::hasTextChanged, this, &ComposerBar::updateButton);
    updateButton();
}

void ComposerBar::setStreaming(bool streaming)
{
    if (streaming == m_streaming)
        return;
    m_streaming = streaming;
    updateButton();
}

void ComposerBar::updateButton()
{
    m_sendButton->setText(m_streaming ? tr("Stop") : tr("Send"));
    m_sendButton->setToolTip(m_streaming ? tr("Stop the answer (Esc); what arrived is kept")
                                         : tr("Send the question (Enter)"));
    m_sendButton->setAccessibleName(m_sendButton->text());
    m_sendButton->setAccessibleDescription(m_sendButton->toolTip());
    if (m_theme) {
        m_sendButton->setIcon(m_streaming ? m_theme->icon(QStringLiteral("media-playback-stop"))
                                          : m_theme->icon(QStringLiteral("document-send"), true,
                                                          QPalette::HighlightedText));
    }
    // Send is the accent button; Stop a plain one, so the two states differ at a glance.
    QPalette accent = palette();
    if (!m_streaming) {
        for (const QPalette::ColorGroup group : {QPalette::Active, QPalette::Inactive}) {
            accent.setColor(group, QPalette::Button, accent.color(group, QPalette::Highlight));
            accent.setColor(group, QPalette::ButtonText,
                            accent.color(group, QPalette::HighlightedText));
        }
    }
    m_sendButton->setPalette(accent);
    m_sendButton->setEnabled(m_streaming || m_composer->hasText());
}

QRect ComposerBar::fieldRect() const
{
    return rect().adjusted(kOuterMarginX, kOuterMarginTop, -kOuterMarginX, -kOuterMarginBottom);
}

void ComposerBar::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const bool focused = m_composer->hasFocus();
    QPen pen(palette().color(focused ? QPalette::Highlight : QPalette::Mid));
    pen.setWidthF(focused ? 2.0 : 1.0);
    painter.setPen(pen);
    painter.setBrush(palette().color(QPalette::Base));
    painter.drawRoundedRect(QRectF(fieldRect()).adjusted(0.5, 0.5, -0.5, -0.5), kRadius, kRadius);
}

void ComposerBar::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // A new theme or language: the accent button's own palette and texts again.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::LanguageChange)
        updateButton();
}

bool ComposerBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_composer &&
        (event->type() == QEvent::FocusIn || event->type() == QEvent::FocusOut))
        update(); // the outline's colour
    return QWidget::eventFilter(watched, event);
}

} // namespace qalam
